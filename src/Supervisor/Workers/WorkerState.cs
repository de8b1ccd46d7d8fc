namespace Cluster.Supervisor.Workers;

/// <summary>
/// The life of one worker slot. The allowed moves between states are listed, each with its reason, in
/// <see cref="WorkerTransitions"/>; nothing else changes a worker's state.
/// </summary>
internal enum WorkerState
{
    /// <summary>No process and none scheduled: new, or stopped on purpose.</summary>
    Stopped,

    /// <summary>Process running, readiness check not passed yet: no traffic.</summary>
    Starting,

    /// <summary>Readiness check passed: in the front end's rotation.</summary>
    Ready,

    /// <summary>Failed its health checks: out of rotation, still checked; restarted if it does not recover.</summary>
    Unhealthy,

    /// <summary>Out of rotation because a replacement took its place; finishing its in-flight requests.</summary>
    Draining,

    /// <summary>
    /// Replaced by a reload that is not confirmed yet: kept alive, without traffic (with a shared socket, SIGSTOPped),
    /// so that a rollback can put it back into rotation; stopped once the reload is committed.
    /// </summary>
    Parked,

    /// <summary>The stop signal (worker.stopSignal) sent; SIGKILL follows after the stop timeout.</summary>
    Stopping,

    /// <summary>The process is gone; the next move decides whether it is restarted.</summary>
    Exited,

    /// <summary>Waiting for the restart delay before starting again.</summary>
    Backoff,

    /// <summary>Exited quickly too many times in a row: restarts continue, slowed by the backoff up to its maximum.</summary>
    CrashLoop,

    /// <summary>Not restarted any more: it exited with a "do not restart" code, or hit restart.maxRestarts.</summary>
    Failed,
}
