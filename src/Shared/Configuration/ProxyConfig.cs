namespace Cluster.Shared.Configuration;

/// <summary>How the front end forwards requests to the workers.</summary>
public sealed record ProxyConfig
{
    public required LoadBalancingPolicy LoadBalancing { get; init; }

    /// <summary>Retry a safe request (GET, HEAD, OPTIONS, no body) once on another worker when its worker failed before answering.</summary>
    public required bool Retry { get; init; }

    /// <summary>How long a worker may take to start answering (and between reads) before the front end gives up: 504.</summary>
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>Whether X-Forwarded-For/Proto/Host sent by the client are replaced (the default) or appended to.</summary>
    public required ForwardedHeadersMode ForwardedHeaders { get; init; }

    /// <summary>Add X-Request-Start: t=&lt;µs since the Unix epoch&gt;, when the front end received the request (off by default).</summary>
    public bool RequestStartHeader { get; init; }
}
