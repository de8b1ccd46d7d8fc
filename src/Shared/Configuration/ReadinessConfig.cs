namespace Cluster.Shared.Configuration;

/// <summary>
/// When a started worker is ready: a TCP connect to its port succeeds (no <see cref="HttpPath"/>), an HTTP GET of
/// <see cref="HttpPath"/> answers 2xx, with <see cref="Notify"/> it sends READY=1 to its NOTIFY_SOCKET, or, with
/// <see cref="Accepting"/>, it waits for connections on the shared socket.
/// </summary>
public sealed record ReadinessConfig
{
    public string? HttpPath { get; init; }

    /// <summary>Ready when the worker says so (sd_notify READY=1) on the notify socket the supervisor gives it.</summary>
    public bool Notify { get; init; }

    /// <summary>Shared socket only: ready once one of the worker's processes waits for connections on it (epoll, seen in /proc).</summary>
    public bool Accepting { get; init; }

    /// <summary>A worker not ready within this time is stopped and counted as a failed start.</summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>Time between two readiness attempts.</summary>
    public TimeSpan Interval { get; init; }

    /// <summary>For logs: "TCP connect", "GET /healthz", "READY=1 on its notify socket" or "accepting on the shared socket".</summary>
    public string Description =>
        Notify ? "READY=1 on its notify socket"
        : Accepting ? "accepting on the shared socket"
        : HttpPath is null ? "TCP connect"
        : $"GET {HttpPath}";
}
