namespace Cluster.Shared.Configuration;

/// <summary>Request limits of the public listener, against oversized requests and slow clients (Kestrel's limits).</summary>
public sealed record LimitsConfig
{
    /// <summary>Larger bodies get 413; null is no limit.</summary>
    public long? MaxRequestBodyBytes { get; init; }

    public required int MaxRequestHeadersBytes { get; init; }

    public required int MaxRequestHeaderCount { get; init; }

    /// <summary>Time a client has to send all its request headers (slowloris).</summary>
    public required TimeSpan RequestHeadersTimeout { get; init; }

    /// <summary>How long an idle keep-alive connection stays open.</summary>
    public required TimeSpan KeepAliveTimeout { get; init; }

    /// <summary>Concurrent connections to the public listener; null is no limit.</summary>
    public long? MaxConnections { get; init; }
}
