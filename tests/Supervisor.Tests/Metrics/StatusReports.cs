using Cluster.Supervisor.Control;

namespace Cluster.Supervisor.Tests.Metrics;

/// <summary>Status reports as the control socket would give them, for the metrics.</summary>
internal static class StatusReports
{
    public static StatusReport With(params WorkerStatus[] workers) =>
        new(
            new SupervisorStatus(1234, "1.0.0", DateTimeOffset.UnixEpoch, 3600.5, "running", "http://127.0.0.1:8080", "/srv/app/supervisor.json", "/run/cluster.sock", 2, workers.Select(w => w.Id).Distinct().Count(), null, [new ListenerStatus("http://127.0.0.1:8080", false)], []),
            workers);

    public static WorkerStatus Worker(int id, string state = "ready", int restarts = 0, bool retiring = false, int? pid = null, long inFlight = 0) =>
        new(
            id,
            state is "backoff" or "crashLoop" or "failed" ? null : pid ?? 1000 + id,
            state is "backoff" or "crashLoop" or "failed" ? null : 40000 + id,
            state,
            retiring,
            state is "backoff" or "crashLoop" or "failed" ? null : DateTimeOffset.UnixEpoch,
            state is "backoff" or "crashLoop" or "failed" ? null : 60.25 + id,
            restarts,
            null,
            state is "backoff" or "crashLoop" or "failed" ? null : 50_000_000 + id,
            null,
            inFlight,
            0);
}
