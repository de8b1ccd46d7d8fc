namespace Cluster.Shared.Configuration;

/// <summary>"metrics": Prometheus metrics, always on the control socket, and on <see cref="Listen"/> if set.</summary>
public sealed record MetricsConfig
{
    public const string Path = "/metrics";
    public ListenAddress? Listen { get; init; }
}
