namespace Cluster.Shared.Configuration;

/// <summary>"rateLimit": per-client-IP rate limiting across the cluster, a fixed window (see Layout/ConfigLayout.cs).</summary>
public sealed record RateLimitConfig
{
    public int Requests { get; init; }
    public TimeSpan Window { get; init; }
}
