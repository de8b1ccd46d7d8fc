using Cluster.Supervisor.Control;

namespace Cluster.Supervisor.Cli.Top;

/// <summary>
/// What changed between two status reports, per second: requests through the front end by status class, retries,
/// the p99 latency of the requests in between, and each worker process's requests. The counters are totals since
/// the supervisor started; `supervisor top` is the one that turns them into rates.
/// </summary>
internal sealed record TrafficRates(
    double IntervalSeconds,
    double Requests,
    double Ok,
    double ClientErrors,
    double ServerErrors,
    double Retries,
    double? P99Seconds,
    IReadOnlyDictionary<(int Id, int Pid), double> ByProcess)
{
    public static TrafficRates? Between(StatusReport before, StatusReport after)
    {
        var seconds = after.Supervisor.UptimeSeconds - before.Supervisor.UptimeSeconds;
        if (seconds <= 0 || before.Supervisor.Pid != after.Supervisor.Pid || before.FrontEnd is not { } was || after.FrontEnd is not { } now)
        {
            return null;
        }

        double Rate(long earlier, long later) => Math.Max(0, later - earlier) / seconds;
        double Class(string name) => Rate(was.Requests.GetValueOrDefault(name), now.Requests.GetValueOrDefault(name));

        var earlierServed = before.Workers.Where(w => w.Pid is not null).GroupBy(w => (w.Id, w.Pid!.Value)).ToDictionary(g => g.Key, g => g.First().RequestsServed);
        var byProcess = after.Workers
            .Where(w => w.Pid is int pid && earlierServed.ContainsKey((w.Id, pid)))
            .GroupBy(w => (w.Id, w.Pid!.Value))
            .ToDictionary(g => g.Key, g => Rate(earlierServed[g.Key], g.First().RequestsServed));
        return new TrafficRates(
            seconds,
            now.Requests.Sum(c => Rate(was.Requests.GetValueOrDefault(c.Key), c.Value)),
            Class("2xx"),
            Class("4xx"),
            Class("5xx"),
            Rate(was.Retries, now.Retries),
            Quantile(0.99, was.Latency, now.Latency),
            byProcess);
    }

    /// <summary>
    /// The <paramref name="q"/> quantile of the observations between two histogram readings, interpolated linearly
    /// within its bucket as Prometheus's histogram_quantile does; the highest finite bound when it falls in +Inf;
    /// null without observations.
    /// </summary>
    public static double? Quantile(double q, LatencyBuckets before, LatencyBuckets after)
    {
        var bounds = after.UpperBoundsSeconds;
        if (before.CumulativeCounts.Count != after.CumulativeCounts.Count || after.CumulativeCounts.Count != bounds.Count + 1)
        {
            return null;
        }

        var counts = after.CumulativeCounts.Select((count, i) => count - before.CumulativeCounts[i]).ToArray();
        var total = counts[^1];
        if (total <= 0)
        {
            return null;
        }

        var rank = q * total;
        for (var i = 0; i < bounds.Count; i++)
        {
            if (counts[i] >= rank)
            {
                var lower = i == 0 ? 0 : bounds[i - 1];
                var below = i == 0 ? 0 : counts[i - 1];
                var inBucket = counts[i] - below;
                return inBucket <= 0 ? bounds[i] : lower + ((bounds[i] - lower) * (rank - below) / inBucket);
            }
        }

        return bounds[^1];
    }
}
