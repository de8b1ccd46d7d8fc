namespace Cluster.Supervisor.Workers;

/// <summary>What the supervisor did after an exit: its decision, in words as the log says it, and any restart delay.</summary>
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

    /// <summary>Not restarted: the slot was scaled away.</summary>
    Removed,

    /// <summary>Not restarted: the supervisor is stopping.</summary>
    Stopped,

    /// <summary>A replacement that failed before it was ready; the process it was to replace keeps serving.</summary>
    ReplacementFailed,
}
