namespace Cluster.Shared.Configuration;

/// <summary>How the front end forwards requests to the workers.</summary>
public sealed record ProxyConfig
{
    public LoadBalancingPolicy LoadBalancing { get; init; }

    /// <summary>Retry a safe request (GET, HEAD, OPTIONS, no body) once on another worker when its worker failed before answering.</summary>
    public bool Retry { get; init; }

    /// <summary>How long a worker may take to start answering (and between reads) before the front end gives up: 504.</summary>
    public TimeSpan RequestTimeout { get; init; }

    /// <summary>Whether X-Forwarded-For/Proto/Host sent by the client are replaced (the default) or appended to.</summary>
    public ForwardedHeadersMode ForwardedHeaders { get; init; }
}
