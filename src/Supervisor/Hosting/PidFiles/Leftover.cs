using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Hosting.PidFiles;

/// <summary>
/// A process a previous supervisor left running: a recorded worker, or a process in a recorded worker's process group
/// (<paramref name="Worker"/> that worker; null for neither), and the signal that asks it to stop.
/// </summary>
internal sealed record Leftover(int Pid, RecordedWorker? Worker, StopSignal Signal)
{
    /// <summary>For the log: "worker 0 of app shop pid 4321 (SIGQUIT)", "pid 4330 (child of worker 0) (SIGTERM)".</summary>
    public string Description
    {
        get
        {
            var app = Worker?.App is { } name && name != AppConfig.DefaultName ? $" of app {name}" : string.Empty;
            var what = Worker is null ? $"pid {Pid}"
                : Worker.Pid == Pid ? $"worker {Worker.Id}{app} pid {Pid}"
                : $"pid {Pid} (child of worker {Worker.Id}{app})";
            return $"{what} ({PosixSignals.Name((int)Signal)})";
        }
    }
}
