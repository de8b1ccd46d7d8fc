namespace Cluster.Shared.Configuration;

/// <summary>
/// An endpoint for load balancers in front of this machine: 200 while at least one worker is ready, 503 when none is
/// or the supervisor is stopping. On the public listener at <see cref="Path"/>, and/or on its own <see cref="Listen"/>.
/// </summary>
public sealed record LoadBalancerHealthConfig
{
    public string? Path { get; init; }

    public ListenAddress? Listen { get; init; }

    /// <summary>On stop, keep serving this long while the health endpoint already says 503, so balancers move away first.</summary>
    public TimeSpan DrainDelay { get; init; }

    public bool Enabled => Path is not null || Listen is not null;
}
