namespace Cluster.Supervisor.Workers;

/// <summary>
/// What the supervisor did after an exit: its decision, in words as the log says it, and any restart delay. Only
/// decisions that leave the slot's history in the table are recorded: an exit while the supervisor stops, or of a
/// slot scaled away, goes with its slot.
/// </summary>
internal sealed record ExitOutcome(ExitAction Action, string Description, TimeSpan? RestartDelay = null);

internal enum ExitAction
{
    /// <summary>Restarted after the backoff delay.</summary>
    Restarted,

    /// <summary>Restarted after a growing delay: restart.crashLoopAfter quick exits in a row.</summary>
    CrashLoop,

    /// <summary>Not restarted: restart.maxRestarts reached, or an exit code in restart.noRestartExitCodes.</summary>
    GaveUp,

    /// <summary>Not restarted: a replacement (reload, recycle) holds the slot.</summary>
    Replaced,

    /// <summary>A replacement that failed before it was ready; the process it was to replace keeps serving.</summary>
    ReplacementFailed,
}
