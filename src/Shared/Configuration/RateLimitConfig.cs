namespace Cluster.Shared.Configuration;

/// <summary>
/// Per-client-IP rate limiting in the front end, one budget across the whole cluster (unlike a limiter inside each
/// worker process). A fixed window: <see cref="Requests"/> per <see cref="Window"/>; then 429 with Retry-After.
/// </summary>
public sealed record RateLimitConfig
{
    public int Requests { get; init; }

    public TimeSpan Window { get; init; }
}
