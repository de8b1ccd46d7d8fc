using System.Collections.Concurrent;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers.Launching;

/// <summary>Starts worker programs as child processes and puts every line they print into the supervisor's log.</summary>
internal sealed class ProcessWorkerLauncher(WorkerConfig config, ILogger logger, TimeProvider time) : IWorkerLauncher
{
    // Only a safety net for KillAll when the control loop itself has failed; the loop keeps its own table.
    private readonly ConcurrentDictionary<int, ChildProcess> _running = new();

    public IWorkerProcess Launch(int workerId, int port)
    {
        var startInfo = WorkerStartInfo.Build(config, workerId, port, Environment.ProcessId);
        var child = ChildProcess.Start(startInfo, line => LogOutput(workerId, line), time);
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

    private void LogOutput(int workerId, OutputLine line) =>
        WorkerLog.Output(logger, workerId, line.Pid, line.Stream == OutputStream.Stdout ? "out" : "err", line.Text);
}
