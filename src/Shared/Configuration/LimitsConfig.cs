namespace Cluster.Shared.Configuration;

/// <summary>Request limits of the public listener, against oversized requests and slow clients (Kestrel's limits).</summary>
public sealed record LimitsConfig
{
    public long? MaxRequestBodyBytes { get; init; }
    public int MaxRequestHeadersBytes { get; init; }
    public int MaxRequestHeaderCount { get; init; }
    public TimeSpan RequestHeadersTimeout { get; init; }
    public TimeSpan KeepAliveTimeout { get; init; }
    public long? MaxConnections { get; init; }
    public int Http2MaxStreamsPerConnection { get; init; }
    public int Http2HeaderTableSize { get; init; }
    public int Http2InitialConnectionWindowSize { get; init; }
    public int Http2InitialStreamWindowSize { get; init; }
    public int Http2MaxFrameSize { get; init; }
}
