using Cluster.Supervisor.Cli.Top;
using Cluster.Supervisor.Control;

namespace Cluster.Supervisor.Tests.Metrics;

/// <summary>`supervisor top`'s rates: differences of the front end's counters between two status reports.</summary>
public sealed class TrafficRatesTests
{
    private static readonly double[] Bounds = [0.001, 0.01, 0.1];

    [Test]
    public void Rates_are_the_differences_per_second_of_the_interval_between_the_reports()
    {
        var before = Report(uptime: 10, requests: [0, 100, 0, 10, 0], retries: 1, latency: [0, 0, 0, 0], served: (0, 500, 40));
        var after = Report(uptime: 12, requests: [0, 300, 0, 14, 6], retries: 5, latency: [0, 0, 0, 0], served: (0, 500, 140));

        var rates = TrafficRates.Between(before, after)!;

        Assert.That(rates.IntervalSeconds, Is.EqualTo(2));
        Assert.That(rates.Requests, Is.EqualTo(105));
        Assert.That((rates.Ok, rates.ClientErrors, rates.ServerErrors, rates.Retries), Is.EqualTo((100.0, 2.0, 3.0, 2.0)));
        Assert.That(rates.ByProcess[(0, 500)], Is.EqualTo(50));
    }

    [Test]
    public void A_process_that_was_not_in_the_earlier_report_has_no_rate_yet()
    {
        var before = Report(uptime: 10, requests: [0, 0, 0, 0, 0], retries: 0, latency: [0, 0, 0, 0], served: (0, 500, 40));
        var after = Report(uptime: 11, requests: [0, 0, 0, 0, 0], retries: 0, latency: [0, 0, 0, 0], served: (0, 501, 3));

        Assert.That(TrafficRates.Between(before, after)!.ByProcess, Is.Empty);
    }

    [Test]
    public void Reports_of_different_supervisors_or_without_time_between_them_give_no_rates()
    {
        var report = Report(uptime: 10, requests: [0, 0, 0, 0, 0], retries: 0, latency: [0, 0, 0, 0], served: (0, 500, 0));

        Assert.That(TrafficRates.Between(report, report), Is.Null);
        Assert.That(TrafficRates.Between(report, report with { Supervisor = report.Supervisor with { Pid = 99, UptimeSeconds = 20 } }), Is.Null);
    }

    [TestCase(new long[] { 0, 0, 0, 0 }, new long[] { 100, 100, 100, 100 }, 0.00099, TestName = "all in the first bucket: interpolated within 0-1 ms")]
    [TestCase(new long[] { 0, 0, 0, 0 }, new long[] { 0, 50, 100, 100 }, 0.0982, TestName = "p99 in the 10-100 ms bucket")]
    [TestCase(new long[] { 10, 10, 10, 10 }, new long[] { 10, 10, 10, 110 }, 0.1, TestName = "beyond the last bound: the last bound")]
    public void The_p99_of_the_interval_is_interpolated_within_its_bucket_like_histogram_quantile(long[] before, long[] after, double expected) =>
        Assert.That(TrafficRates.Quantile(0.99, new LatencyBuckets(Bounds, before), new LatencyBuckets(Bounds, after)), Is.EqualTo(expected).Within(1e-9));

    [Test]
    public void No_request_in_the_interval_has_no_p99() =>
        Assert.That(TrafficRates.Quantile(0.99, new LatencyBuckets(Bounds, [5, 5, 5, 5]), new LatencyBuckets(Bounds, [5, 5, 5, 5])), Is.Null);

    private static StatusReport Report(double uptime, long[] requests, long retries, long[] latency, (int Id, int Pid, long Served) served)
    {
        var report = StatusReports.With(StatusReports.Worker(served.Id, pid: served.Pid) with { RequestsServed = served.Served });
        return report with
        {
            Supervisor = report.Supervisor with { UptimeSeconds = uptime },
            FrontEnd = new FrontEndTraffic(
                new[] { "1xx", "2xx", "3xx", "4xx", "5xx" }.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => requests[c.i]),
                retries,
                new LatencyBuckets(Bounds, latency)),
        };
    }
}
