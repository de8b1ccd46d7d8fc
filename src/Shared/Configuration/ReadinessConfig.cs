namespace Cluster.Shared.Configuration;

/// <summary>
/// When a started worker is ready: a TCP connect to its port succeeds (no <see cref="HttpPath"/>), an HTTP GET of
/// <see cref="HttpPath"/> answers 2xx, or, with <see cref="Notify"/>, it sends READY=1 to its NOTIFY_SOCKET.
/// </summary>
public sealed record ReadinessConfig
{
    public string? HttpPath { get; init; }

    /// <summary>Ready when the worker says so (sd_notify READY=1) on the notify socket the supervisor gives it.</summary>
    public bool Notify { get; init; }

    /// <summary>A worker not ready within this time is stopped and counted as a failed start.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Time between two readiness attempts.</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>For logs: "TCP connect", "GET /healthz" or "READY=1".</summary>
    public string Description => Notify ? "READY=1 on its NOTIFY_SOCKET" : HttpPath is null ? "TCP connect" : $"GET {HttpPath}";
}
