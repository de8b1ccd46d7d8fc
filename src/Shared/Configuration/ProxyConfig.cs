namespace Cluster.Shared.Configuration;

/// <summary>"proxy": how the front end forwards requests to the workers (see Layout/ConfigLayout.cs).</summary>
public sealed record ProxyConfig
{
    public LoadBalancingPolicy LoadBalancing { get; init; }
    public bool Retry { get; init; }
    public TimeSpan RequestTimeout { get; init; }
    public ForwardedHeadersMode ForwardedHeaders { get; init; }
    public bool RequestStartHeader { get; init; }
}
