namespace Cluster.Shared.Configuration;

/// <summary>
/// When a started worker may take traffic: a TCP connect to its port succeeds (no <see cref="HttpPath"/>),
/// or an HTTP GET of <see cref="HttpPath"/> answers 2xx.
/// </summary>
public sealed record ReadinessConfig
{
    public string? HttpPath { get; init; }

    /// <summary>A worker not ready within this time is stopped and counted as a failed start.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Time between two readiness attempts.</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>For logs: "TCP connect" or "GET /healthz".</summary>
    public string Description => HttpPath is null ? "TCP connect" : $"GET {HttpPath}";
}
