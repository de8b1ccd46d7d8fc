namespace Cluster.Shared.Configuration;

/// <summary>"restart": what happens after a worker exits without being asked to (see Layout/ConfigLayout.cs).</summary>
public sealed record RestartConfig
{
    public TimeSpan Delay { get; init; }
    public TimeSpan MaxDelay { get; init; }
    public double Multiplier { get; init; }
    public double Jitter { get; init; }
    public TimeSpan ResetAfter { get; init; }
    public int CrashLoopAfter { get; init; }
    public int? MaxRestarts { get; init; }
    public TimeSpan Window { get; init; }
    public IReadOnlySet<int> NoRestartExitCodes { get; init; } = new HashSet<int>();
}
