namespace Cluster.Shared.Configuration;

/// <summary>"worker.readiness": when a started worker is ready for traffic (see Layout/ConfigLayout.cs).</summary>
public sealed record ReadinessConfig
{
    public string? HttpPath { get; init; }
    public bool Notify { get; init; }
    public bool Accepting { get; init; }
    public TimeSpan Timeout { get; init; }
    public TimeSpan Interval { get; init; }

    /// <summary>For logs: "TCP connect", "GET /healthz", "READY=1 on its notify socket" or "accepting on the shared socket".</summary>
    public string Description =>
        Notify ? "READY=1 on its notify socket"
        : Accepting ? "accepting on the shared socket"
        : HttpPath is null ? "TCP connect"
        : $"GET {HttpPath}";
}
