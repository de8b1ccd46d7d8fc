using System.Collections.Concurrent;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.SharedSocket;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers.Launching;

/// <summary>
/// Starts worker programs as child processes and puts every line they print into the log (the supervisor's, or the
/// worker's own file: <paramref name="outputLogger"/> decides by app and worker id), each line with its app and worker. Every start goes
/// through <see cref="ExecShim"/> (so the worker dies with the supervisor and leads its own process group) and happens
/// on the one <see cref="SpawnThread"/> (so the parent-death signal is not fired by a retiring thread-pool thread, and
/// so that the inheritable duplicate of the shared socket made for one start is inherited by that start alone).
/// </summary>
internal sealed class ProcessWorkerLauncher(Func<string, int, ILogger> outputLogger, TimeProvider time, SpawnThread spawnThread) : IWorkerLauncher
{
    private readonly IReadOnlyList<string> _self = ExecShim.CurrentBinary();

    // Read once: the CPUs the supervisor was started on, for worker.cpuAffinity auto.
    private readonly IReadOnlyList<int> _cpus = CpuSet.Allowed();

    // Only a safety net for KillAll when the control loop itself has failed; the loop keeps its own table.
    private readonly ConcurrentDictionary<int, ChildProcess> _running = new();

    public IWorkerProcess Launch(WorkerLaunch launch)
    {
        var (config, workerId) = (launch.Config, launch.WorkerId);
        var target = WorkerStartInfo.Build(config, workerId, launch.Port, Environment.ProcessId, launch.Socket is not null, launch.NotifySocket, launch.App);
        int? cpu = config.CpuAffinity == CpuAffinity.Auto ? CpuSet.ForSlot(workerId, _cpus) : null;
        var output = new WorkerOutput(outputLogger(launch.App, workerId), launch.App, workerId);
        var child = spawnThread.Invoke(() => Start(target, output, cpu, launch.Socket));
        _running[child.Pid] = child;
        child.Exited.ContinueWith(
            _ =>
            {
                _running.TryRemove(child.Pid, out ChildProcess? _);
                child.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
        return child;
    }

    private ChildProcess Start(ChildProcessStartInfo target, WorkerOutput output, int? cpu, SharedListener? sharedSocket)
    {
        if (sharedSocket is null)
        {
            return ChildProcess.Start(ExecShim.Wrap(target, _self, Environment.ProcessId, cpu: cpu), output.Write, time, ownProcessGroup: true);
        }

        int inherited;
        try
        {
            inherited = sharedSocket.DuplicateForChild();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            throw new ChildProcessStartException(e.Message, e);
        }

        try
        {
            return ChildProcess.Start(ExecShim.Wrap(target, _self, Environment.ProcessId, inherited, cpu), output.Write, time, ownProcessGroup: true);
        }
        finally
        {
            SharedListener.CloseDuplicate(inherited);
        }
    }

    /// <summary>SIGKILL to every worker still running: the last resort when the supervisor cannot stop them in order.</summary>
    public int KillAll()
    {
        var killed = 0;
        foreach (var child in _running.Values)
        {
            if (child.TrySignal(PosixSignals.SIGKILL))
            {
                killed++;
            }
        }

        return killed;
    }
}
