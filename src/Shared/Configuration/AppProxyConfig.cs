namespace Cluster.Shared.Configuration;

/// <summary>"apps.NAME.proxy": what an app may set differently from the top-level "proxy" (see Layout/ConfigLayout.cs).</summary>
public sealed record AppProxyConfig
{
    /// <summary>This app's balancing policy; null: the top-level proxy.loadBalancing.</summary>
    public LoadBalancingPolicy? LoadBalancing { get; init; }
}
