namespace Cluster.Shared.Configuration;

/// <summary>"health": checks of running workers; off without a path. The keys are described in Layout/ConfigLayout.cs.</summary>
public sealed record HealthConfig
{
    public string? HttpPath { get; init; }
    public TimeSpan Interval { get; init; }
    public TimeSpan Timeout { get; init; }
    public int UnhealthyThreshold { get; init; }
    public int RestartThreshold { get; init; }
    public bool Enabled => HttpPath is not null;
}
