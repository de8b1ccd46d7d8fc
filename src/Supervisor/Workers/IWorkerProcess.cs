using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Workers;

/// <summary>A running worker process as the control loop sees it.</summary>
internal interface IWorkerProcess
{
    int Pid { get; }

    /// <summary>The signal that asks it to stop: worker.stopSignal of the config it was started with.</summary>
    int StopSignal { get; }

    /// <summary>The name of the user it runs as (worker.user, or the supervisor's own).</summary>
    string User { get; }

    Task<ProcessExitStatus> Exited { get; }

    /// <summary>Sends a signal; false when the process has already exited.</summary>
    bool TrySignal(int signal);

    /// <summary>Its last lines of output ("out| ..." / "err| ..."), oldest first.</summary>
    IReadOnlyList<string> RecentOutput { get; }

    /// <summary>After the exit: SIGKILL to what is left of its process group; true when something was left.</summary>
    bool KillLeftoverGroup();
}
