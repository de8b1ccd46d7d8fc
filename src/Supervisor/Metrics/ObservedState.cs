using Cluster.Supervisor.Control;

namespace Cluster.Supervisor.Metrics;

/// <summary>The supervisor and its worker slots, taken from a status report just before a scrape.</summary>
internal sealed record ObservedState(SupervisorStatus Supervisor, int ReadyWorkers, IReadOnlyList<WorkerSlotSample> Slots)
{
    /// <summary>How many worker processes each app has in each state (the apps in the config's order).</summary>
    public IReadOnlyList<(string App, string State, long Count)> AppWorkers { get; init; } = [];

    /// <summary>What the pool sizer did to each app whose workers are a range: workers started ("up") or retired ("down"), by cause.</summary>
    public IReadOnlyList<(string App, string Direction, string Reason, long Count)> ScaleEvents { get; init; } = [];

    /// <summary>The requests waiting in each app's queue (the apps behind a proxy, in the config's order).</summary>
    public IReadOnlyList<(string App, long Queued)> AppQueues { get; init; } = [];

    /// <summary>
    /// One sample per app and slot id. During a reload or recycle a slot has two rows; the metrics follow the one that holds
    /// the slot (not retiring; the older while both do, as it is the one serving), so that every series stays unique.
    /// In-flight requests and connections add up over both.
    /// </summary>
    public static ObservedState From(StatusReport report)
    {
        var slots = report.Workers
            .GroupBy(w => (w.App, w.Id))
            .OrderBy(g => g.Key.App, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Id)
            .Select(rows =>
            {
                var holder = rows.FirstOrDefault(w => !w.Retiring) ?? rows.Last();
                return new WorkerSlotSample(
                    holder.App,
                    holder.Id,
                    holder.State,
                    holder.Restarts,
                    holder.UptimeSeconds,
                    holder.MemoryBytes,
                    rows.Sum(w => w.RequestsInFlight),
                    rows.Any(w => w.Connections is not null) ? rows.Sum(w => w.Connections ?? 0) : null);
            })
            .ToList();
        var appWorkers = report.Apps
            .SelectMany(app => report.Workers.Where(w => w.App == app.Name).GroupBy(w => w.State).Select(g => (app.Name, g.Key, (long)g.Count())))
            .ToList();
        var scaleEvents = report.Apps
            .SelectMany(app => (app.ScaleEvents ?? []).Select(e => (app.Name, e.Direction, e.Reason, e.Count)))
            .ToList();
        var appQueues = report.Apps.Where(app => app.Queued is not null).Select(app => (app.Name, (long)app.Queued!.Value)).ToList();
        return new ObservedState(report.Supervisor, report.Workers.Count(w => w.State == "ready"), slots) { AppWorkers = appWorkers, AppQueues = appQueues, ScaleEvents = scaleEvents };
    }
}
