namespace Cluster.Shared.Configuration;

/// <summary>Request limits of the public listener, against oversized requests and slow clients (Kestrel's limits).</summary>
public sealed record LimitsConfig
{
    /// <summary>Larger bodies get 413; null is no limit.</summary>
    public long? MaxRequestBodyBytes { get; init; }

    public int MaxRequestHeadersBytes { get; init; }

    public int MaxRequestHeaderCount { get; init; }

    /// <summary>Time a client has to send all its request headers (slowloris).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; }

    /// <summary>How long an idle keep-alive connection stays open.</summary>
    public TimeSpan KeepAliveTimeout { get; init; }

    /// <summary>Concurrent connections to the public listener; null is no limit.</summary>
    public long? MaxConnections { get; init; }

    /// <summary>HTTP/2: concurrent requests (streams) a client may open on one connection.</summary>
    public int Http2MaxStreamsPerConnection { get; init; }

    /// <summary>HTTP/2: the HPACK header compression table a client may make the front end keep, per connection.</summary>
    public int Http2HeaderTableSize { get; init; }

    /// <summary>HTTP/2: request body bytes a connection may have buffered, all its streams together (flow control).</summary>
    public int Http2InitialConnectionWindowSize { get; init; }

    /// <summary>HTTP/2: request body bytes one stream may have buffered (flow control).</summary>
    public int Http2InitialStreamWindowSize { get; init; }

    /// <summary>HTTP/2: the largest frame payload the front end accepts.</summary>
    public int Http2MaxFrameSize { get; init; }
}
