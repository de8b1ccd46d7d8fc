namespace Cluster.Shared.Configuration;

/// <summary>What happens after a worker exits without being asked to (the restart policy).</summary>
public sealed record RestartConfig
{
    /// <summary>Wait before the first restart after a stable run; doubles (see <see cref="Multiplier"/>) for each quick exit after.</summary>
    public TimeSpan Delay { get; init; }

    public TimeSpan MaxDelay { get; init; }

    public double Multiplier { get; init; }

    /// <summary>Each delay is spread by ±this fraction, so workers that died together do not restart in lockstep.</summary>
    public double Jitter { get; init; }

    /// <summary>A worker that stayed up this long counts as stable: its next restart waits only <see cref="Delay"/> again.</summary>
    public TimeSpan ResetAfter { get; init; }

    /// <summary>This many quick exits in a row (each within <see cref="ResetAfter"/> of its start) mark the slot crash-looping.</summary>
    public int CrashLoopAfter { get; init; }

    /// <summary>Give up (state Failed) after this many restarts within <see cref="Window"/>; null never gives up.</summary>
    public int? MaxRestarts { get; init; }

    public TimeSpan Window { get; init; }

    /// <summary>Exit codes that mean "do not restart me" (a boot or configuration error); the slot goes to Failed.</summary>
    public IReadOnlySet<int> NoRestartExitCodes { get; init; } = new HashSet<int>();
}
