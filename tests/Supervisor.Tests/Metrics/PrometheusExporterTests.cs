using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cluster.Supervisor.Metrics;
using Cluster.TestSupport;
using static Cluster.Supervisor.Tests.Metrics.StatusReports;

namespace Cluster.Supervisor.Tests.Metrics;

/// <summary>The supervisor's instruments rendered by the exporter, read back with a strict Prometheus text parser.</summary>
public sealed class PrometheusExporterTests
{
    private static readonly string[] Families =
    [
        "cluster_frontend_requests_total", "cluster_frontend_retries_total", "cluster_frontend_proxy_errors_total",
        "cluster_frontend_rate_limited_total", "cluster_frontend_no_worker_ready_total", "cluster_frontend_request_duration_seconds",
        "cluster_supervisor_uptime_seconds", "cluster_supervisor_generation", "cluster_supervisor_workers_desired", "cluster_supervisor_workers_ready",
        "cluster_worker_state", "cluster_worker_restarts_total", "cluster_worker_uptime_seconds", "cluster_worker_resident_memory_bytes",
        "cluster_worker_requests_total", "cluster_worker_requests_in_flight",
    ];

    private FrontEndCounters _counters = null!;
    private SupervisorMetrics _metrics = null!;
    private PrometheusExporter _exporter = null!;

    [SetUp]
    public void CreateMetrics()
    {
        _counters = new FrontEndCounters();
        _metrics = new SupervisorMetrics(_counters);
        _exporter = new PrometheusExporter(_metrics.Meter, _metrics.Histograms);
    }

    [TearDown]
    public void DisposeMetrics()
    {
        _exporter.Dispose();
        _metrics.Dispose();
    }

    [Test]
    public void Every_metric_is_rendered_with_its_type_and_parses_as_Prometheus_text()
    {
        _metrics.Update(With(Worker(0), Worker(1, "crashLoop", restarts: 5)));

        var text = _exporter.Render();
        var scrape = PrometheusScrape.Parse(text);

        Assert.That(scrape.Families.Keys, Is.EquivalentTo(Families), text);
        Assert.That(scrape.Families["cluster_frontend_requests_total"], Is.EqualTo("counter"));
        Assert.That(scrape.Families["cluster_worker_state"], Is.EqualTo("gauge"));
        Assert.That(scrape.Families["cluster_frontend_request_duration_seconds"], Is.EqualTo("histogram"));
        Assert.That(text, Does.Contain("# HELP cluster_worker_restarts_total Restarts of each worker slot\n"));
        Assert.That(text, Does.Contain("# TYPE cluster_worker_restarts_total counter\n"));
        Assert.That(scrape.Named("cluster_frontend_requests_total").Select(s => s.Labels["code"]), Is.EqualTo(new[] { "1xx", "2xx", "3xx", "4xx", "5xx" }));
        Assert.That(
            scrape.Named("cluster_frontend_proxy_errors_total").Select(s => s.Labels["kind"]),
            Is.EqualTo(new[] { "connection_refused", "request", "timeout", "request_body", "response_body", "client_aborted", "other" }));
    }

    [Test]
    public void Front_end_counters_move_with_the_requests_they_count()
    {
        _metrics.Update(With(Worker(0), Worker(1)));
        var app = _counters.ForApp("default");
        var before = PrometheusScrape.Parse(_exporter.Render());

        _counters.SentTo(0);
        _counters.Answered(200, Ticks(TimeSpan.FromMilliseconds(3)), app);
        _counters.SentTo(1);
        _counters.Answered(204, Ticks(TimeSpan.FromMilliseconds(0.2)), app);
        _counters.SentTo(0);
        _counters.ProxyError(ProxyErrorKind.ConnectionRefused);
        _counters.Retried();
        _counters.SentTo(1);
        _counters.Answered(200, Ticks(TimeSpan.FromSeconds(30)), app);
        _counters.NoWorkerReady();
        _counters.Answered(503, Ticks(TimeSpan.FromMilliseconds(0.1)), app);
        _counters.RateLimited();
        _counters.Answered(429, 0, app);
        var after = PrometheusScrape.Parse(_exporter.Render());

        double Moved(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.That(Moved("cluster_frontend_requests_total", ("code", "2xx")), Is.EqualTo(3));
        Assert.That(Moved("cluster_frontend_requests_total", ("code", "4xx")), Is.EqualTo(1));
        Assert.That(Moved("cluster_frontend_requests_total", ("code", "5xx")), Is.EqualTo(1));
        Assert.That(Moved("cluster_frontend_requests_total", ("code", "3xx")), Is.Zero);
        Assert.That(Moved("cluster_frontend_retries_total"), Is.EqualTo(1));
        Assert.That(Moved("cluster_frontend_proxy_errors_total", ("kind", "connection_refused")), Is.EqualTo(1));
        Assert.That(Moved("cluster_frontend_no_worker_ready_total"), Is.EqualTo(1));
        Assert.That(Moved("cluster_frontend_rate_limited_total"), Is.EqualTo(1));
        Assert.That(Moved("cluster_worker_requests_total", ("worker", "0")), Is.EqualTo(2));
        Assert.That(Moved("cluster_worker_requests_total", ("worker", "1")), Is.EqualTo(2));

        const string histogram = "cluster_frontend_request_duration_seconds";
        var byApp = ("app", "default");
        Assert.That(Moved(histogram + "_count", byApp), Is.EqualTo(5));
        Assert.That(Moved(histogram + "_bucket", byApp, ("le", "0.0005")), Is.EqualTo(3), "0.2 ms, 0.1 ms and the 429's 0");
        Assert.That(Moved(histogram + "_bucket", byApp, ("le", "0.005")), Is.EqualTo(4), "and 3 ms");
        Assert.That(Moved(histogram + "_bucket", byApp, ("le", "10")), Is.EqualTo(4), "30 s is over the last bound");
        Assert.That(Moved(histogram + "_bucket", byApp, ("le", "+Inf")), Is.EqualTo(5));
        Assert.That(Moved(histogram + "_sum", byApp), Is.EqualTo(30.0033).Within(0.0001));
        Assert.That(Moved("cluster_app_requests_total", byApp, ("code", "4xx")), Is.EqualTo(1), "the 429 counts for its app");
    }

    [Test]
    public void Each_app_has_its_own_latency_series_and_the_requests_no_app_matched_have_the_one_without_an_app()
    {
        var (shop, api) = (_counters.ForApp("shop"), _counters.ForApp("api"));

        _counters.Answered(200, Ticks(TimeSpan.FromMilliseconds(3)), shop);
        _counters.Answered(200, Ticks(TimeSpan.FromMilliseconds(20)), shop);
        _counters.Answered(201, Ticks(TimeSpan.FromMilliseconds(0.2)), api);
        _counters.Answered(404, Ticks(TimeSpan.FromMilliseconds(0.1)));
        var text = _exporter.Render();
        var scrape = PrometheusScrape.Parse(text);

        const string histogram = "cluster_frontend_request_duration_seconds";
        Assert.That(scrape.Value(histogram + "_count", ("app", "shop")), Is.EqualTo(2));
        Assert.That(scrape.Value(histogram + "_bucket", ("app", "shop"), ("le", "0.005")), Is.EqualTo(1), "3 ms");
        Assert.That(scrape.Value(histogram + "_bucket", ("app", "shop"), ("le", "0.025")), Is.EqualTo(2), "and 20 ms");
        Assert.That(scrape.Value(histogram + "_sum", ("app", "shop")), Is.EqualTo(0.023).Within(0.0001));
        Assert.That(scrape.Value(histogram + "_count", ("app", "api")), Is.EqualTo(1));
        Assert.That(scrape.Value(histogram + "_bucket", ("app", "api"), ("le", "0.0005")), Is.EqualTo(1));
        var unrouted = scrape.Named(histogram + "_count").Single(s => !s.Labels.ContainsKey("app"));
        Assert.That(unrouted.Value, Is.EqualTo(1), "the 404 of no app");
        Assert.That(scrape.Named(histogram + "_count").Sum(s => s.Value), Is.EqualTo(scrape.Named("cluster_frontend_requests_total").Sum(s => s.Value)), "every answer counted is in one series");
        Assert.That(text, Does.Contain(histogram + "_bucket{app=\"api\",le=\"+Inf\"} 1\n").And.Contain(histogram + "_bucket{le=\"+Inf\"} 1\n"));
        Assert.That(_counters.Latency().Count, Is.EqualTo(4), "top's total adds the series up");
    }

    [Test]
    public void Each_worker_slot_shows_its_state_restarts_uptime_memory_and_requests_in_flight()
    {
        _metrics.Update(With(Worker(0, inFlight: 2), Worker(1, "backoff", restarts: 3)));

        var scrape = PrometheusScrape.Parse(_exporter.Render());

        Assert.That(scrape.Value("cluster_worker_state", ("worker", "0"), ("state", "ready")), Is.EqualTo(1));
        Assert.That(scrape.Value("cluster_worker_state", ("worker", "1"), ("state", "backoff")), Is.EqualTo(1));
        Assert.That(scrape.Named("cluster_worker_state").Count(), Is.EqualTo(2), "one state per slot");
        Assert.That(scrape.Value("cluster_worker_restarts_total", ("worker", "1")), Is.EqualTo(3));
        Assert.That(scrape.Value("cluster_worker_uptime_seconds", ("worker", "0")), Is.EqualTo(60.25));
        Assert.That(scrape.Value("cluster_worker_resident_memory_bytes", ("worker", "0")), Is.EqualTo(50_000_000));
        Assert.That(scrape.Named("cluster_worker_uptime_seconds").Select(s => s.Labels["worker"]), Is.EqualTo(new[] { "0" }), "no process in backoff: no uptime");
        Assert.That(scrape.Named("cluster_worker_resident_memory_bytes").Select(s => s.Labels["worker"]), Is.EqualTo(new[] { "0" }));
        Assert.That(scrape.Value("cluster_worker_requests_in_flight", ("worker", "0")), Is.EqualTo(2));
        Assert.That(scrape.Value("cluster_supervisor_workers_ready"), Is.EqualTo(1));
        Assert.That(scrape.Value("cluster_supervisor_workers_desired"), Is.EqualTo(2));
        Assert.That(scrape.Value("cluster_supervisor_generation"), Is.EqualTo(2));
        Assert.That(scrape.Value("cluster_supervisor_uptime_seconds"), Is.EqualTo(3600.5));
    }

    [Test]
    public void A_slot_being_replaced_is_one_series_that_follows_the_process_holding_it()
    {
        // A reload: the old process still serves, its replacement is starting.
        _metrics.Update(With(Worker(0, pid: 100, inFlight: 3), Worker(0, "starting", pid: 200, inFlight: 0) with { UptimeSeconds = 0.5 }));
        var during = PrometheusScrape.Parse(_exporter.Render());
        // The replacement is ready; the old one is draining and retiring.
        _metrics.Update(With(Worker(0, "draining", retiring: true, pid: 100, inFlight: 1), Worker(0, pid: 200, inFlight: 4) with { UptimeSeconds = 2 }));
        var after = PrometheusScrape.Parse(_exporter.Render());

        Assert.That(during.Named("cluster_worker_state").Single().Labels["state"], Is.EqualTo("ready"));
        Assert.That(during.Value("cluster_worker_uptime_seconds", ("worker", "0")), Is.EqualTo(60.25));
        Assert.That(during.Value("cluster_worker_requests_in_flight", ("worker", "0")), Is.EqualTo(3));
        Assert.That(after.Named("cluster_worker_state").Single().Labels["state"], Is.EqualTo("ready"));
        Assert.That(after.Value("cluster_worker_uptime_seconds", ("worker", "0")), Is.EqualTo(2));
        Assert.That(after.Value("cluster_worker_requests_in_flight", ("worker", "0")), Is.EqualTo(5), "in flight adds up over both processes");
    }

    [Test]
    public void Before_the_first_status_only_the_front_end_is_rendered()
    {
        var scrape = PrometheusScrape.Parse(_exporter.Render());

        Assert.That(scrape.Families.Keys.Where(f => !f.StartsWith("cluster_frontend_", StringComparison.Ordinal)), Is.Empty);
        Assert.That(scrape.Value("cluster_frontend_request_duration_seconds_count"), Is.Zero);
    }

    [Test]
    public void Names_units_label_values_and_help_are_written_as_Prometheus_reads_them()
    {
        using var meter = new Meter("Cluster.Test");
        meter.CreateObservableCounter("app.bytes.sent", () => 5L, "By", "Bytes\\sent\nby the app");
        meter.CreateObservableUpDownCounter("app.queue", () => new Measurement<int>(-2, new KeyValuePair<string, object?>("queue.name", "a \"b\" \\c\nd")), "{item}", "Queued items");
        meter.CreateObservableGauge("app.latency", () => new[] { double.NaN, double.PositiveInfinity, 0.000_01 }.Select((v, i) => new Measurement<double>(v, new KeyValuePair<string, object?>("n", i))), "ms", "Latency");
        meter.CreateCounter<long>("app.pushed", null, "Pushed counters are not exported").Add(1);
        using var exporter = new PrometheusExporter(meter, []);

        var text = exporter.Render();
        var scrape = PrometheusScrape.Parse(text);

        Assert.That(scrape.Families, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["app_bytes_sent_bytes_total"] = "counter",
            ["app_queue"] = "gauge",
            ["app_latency_milliseconds"] = "gauge",
        }));
        Assert.That(text, Does.Contain("# HELP app_bytes_sent_bytes_total Bytes\\\\sent\\nby the app\n"));
        Assert.That(text, Does.Contain("app_queue{queue_name=\"a \\\"b\\\" \\\\c\\nd\"} -2\n"));
        Assert.That(scrape.Value("app_queue", ("queue_name", "a \"b\" \\c\nd")), Is.EqualTo(-2));
        Assert.That(text, Does.Contain("app_latency_milliseconds{n=\"0\"} NaN\n").And.Contain("app_latency_milliseconds{n=\"1\"} +Inf\n"));
        Assert.That(scrape.Value("app_latency_milliseconds", ("n", "2")), Is.EqualTo(0.000_01));
    }

    [Test]
    public void Another_meter_with_the_same_name_is_not_exported()
    {
        using var other = new Meter(SupervisorMetrics.MeterName);
        other.CreateObservableGauge("cluster.intruder", () => 1);

        Assert.That(PrometheusScrape.Parse(_exporter.Render()).Families.Keys, Does.Not.Contain("cluster_intruder"));
    }

    private static long Ticks(TimeSpan elapsed) => (long)(elapsed.TotalSeconds * Stopwatch.Frequency);
}
