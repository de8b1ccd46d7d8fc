namespace Cluster.Shared.Configuration;

/// <summary>
/// Prometheus metrics. Always served at GET /metrics on the control socket; <see cref="Listen"/> adds a loopback-only
/// HTTP listener for a Prometheus server on this machine (the metrics are not authenticated).
/// </summary>
public sealed record MetricsConfig
{
    public const string Path = "/metrics";

    /// <summary>Null: metrics only on the control socket.</summary>
    public ListenAddress? Listen { get; init; }
}
