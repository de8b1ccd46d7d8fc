using System.Globalization;
using Cluster.Shared.Configuration;
using Cluster.Contract;
using Cluster.Supervisor.FileSafety;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Workers.Launching;

/// <summary>Turns worker config into the command line and environment of one worker process (the worker contract).</summary>
internal static class WorkerStartInfo
{
    /// <param name="sharedSocket">The worker accepts from the shared listening socket, which it gets as fd 3.</param>
    /// <param name="notifySocket">Its own NOTIFY_SOCKET (readiness.notify); null for none.</param>
    /// <param name="app">Its app's name, given as APP_NAME.</param>
    public static ChildProcessStartInfo Build(WorkerConfig worker, int workerId, int port, int supervisorPid, bool sharedSocket = false, string? notifySocket = null, string app = AppConfig.DefaultName)
    {
        int? listenFd = sharedSocket ? SocketActivation.FirstFd : null;
        var environment = worker.Env.ToDictionary(
            pair => pair.Key,
            pair => ArgumentPlaceholders.Expand(pair.Value, port, workerId, listenFd),
            StringComparer.Ordinal);

        // Set last: the port and id are the supervisor's to give; a PORT in worker.env must not send traffic astray.
        environment[WorkerEnvironment.Port] = port.ToString(CultureInfo.InvariantCulture);
        environment[WorkerEnvironment.WorkerId] = workerId.ToString(CultureInfo.InvariantCulture);
        environment[WorkerEnvironment.AppName] = app;
        environment[WorkerEnvironment.SupervisorPid] = supervisorPid.ToString(CultureInfo.InvariantCulture);
        if (sharedSocket)
        {
            // LISTEN_PID is set by the exec shim, the only one to know the worker's PID before it runs.
            environment[SocketActivation.ListenFds] = "1";
            environment[SocketActivation.ListenFdNames] = SocketActivation.PublicSocketName;
        }

        if (notifySocket is not null)
        {
            environment[SocketActivation.NotifySocket] = notifySocket;
        }

        // As login(1) sets them, so that the worker does not look for its files in the supervisor's home (/root); set
        // only where worker.env does not.
        if (worker.RunAs is { } user)
        {
            environment.TryAdd("HOME", user.Home);
            environment.TryAdd("USER", user.Name);
            environment.TryAdd("LOGNAME", user.Name);
        }

        return new ChildProcessStartInfo(
            worker.Command,
            worker.Args.Select(arg => ArgumentPlaceholders.Expand(arg, port, workerId, listenFd)).ToList(),
            environment,
            worker.WorkingDirectory)
        {
            StopSignal = (int)worker.StopSignal,
            SignalWholeGroup = worker.KillProcessGroup,
            User = worker.RunAs?.Name ?? Users.CurrentName,
        };
    }
}
