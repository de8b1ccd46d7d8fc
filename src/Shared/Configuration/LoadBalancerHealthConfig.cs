namespace Cluster.Shared.Configuration;

/// <summary>"loadBalancerHealth": an endpoint for load balancers in front of this machine (see Layout/ConfigLayout.cs).</summary>
public sealed record LoadBalancerHealthConfig
{
    public string? Path { get; init; }
    public ListenAddress? Listen { get; init; }
    public TimeSpan DrainDelay { get; init; }
    public bool Enabled => Path is not null || Listen is not null;
}
