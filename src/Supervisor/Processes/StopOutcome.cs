namespace Cluster.Supervisor.Processes;

/// <summary>The result of <see cref="ChildProcess.StopAsync"/>: how it exited, and whether SIGKILL was needed.</summary>
internal sealed record StopOutcome(ProcessExitStatus? Status, bool Killed)
{
    /// <summary>Still running even after SIGKILL and the bounded wait (e.g. stuck in uninterruptible I/O).</summary>
    public bool StillRunning => Status is null;
}
