using System.Globalization;
using Cluster.Shared.Configuration;
using Cluster.Shared.Contract;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Workers.Launching;

/// <summary>Turns worker config into the command line and environment of one worker process (the worker contract).</summary>
internal static class WorkerStartInfo
{
    public static ChildProcessStartInfo Build(WorkerConfig worker, int workerId, int port, int supervisorPid)
    {
        var environment = worker.Env.ToDictionary(
            pair => pair.Key,
            pair => ArgumentPlaceholders.Expand(pair.Value, port, workerId),
            StringComparer.Ordinal);

        // Set last: the port and id are the supervisor's to give; a PORT in worker.env must not send traffic astray.
        environment[WorkerEnvironment.Port] = port.ToString(CultureInfo.InvariantCulture);
        environment[WorkerEnvironment.WorkerId] = workerId.ToString(CultureInfo.InvariantCulture);
        environment[WorkerEnvironment.SupervisorPid] = supervisorPid.ToString(CultureInfo.InvariantCulture);

        return new ChildProcessStartInfo(
            worker.Command,
            worker.Args.Select(arg => ArgumentPlaceholders.Expand(arg, port, workerId)).ToList(),
            environment,
            worker.WorkingDirectory);
    }
}
