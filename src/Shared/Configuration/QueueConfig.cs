namespace Cluster.Shared.Configuration;

/// <summary>"queue": the requests an app's front end holds while every worker is at its cap (see Layout/ConfigLayout.cs, docs/pools.md).</summary>
public sealed record QueueConfig
{
    /// <summary>Requests waiting at most; one more gets 503 with Retry-After.</summary>
    public int MaxLength { get; init; }

    /// <summary>How long a request may wait; then 504.</summary>
    public TimeSpan Timeout { get; init; }
}
