namespace Cluster.Shared.Configuration;

/// <summary>What happens after a worker exits without being asked to.</summary>
public sealed record RestartConfig
{
    /// <summary>Wait before starting the replacement.</summary>
    public required TimeSpan Delay { get; init; }
}
