using Cluster.Supervisor.Control;
using Cluster.Supervisor.Metrics;
using Cluster.TestSupport;
using static Cluster.Supervisor.Tests.Metrics.StatusReports;

namespace Cluster.Supervisor.Tests.Metrics;

/// <summary>The queue's metrics: its length per app from the status, its waits as a histogram per app, its refusals by reason.</summary>
public sealed class QueueMetricsTests
{
    [Test]
    public void Each_apps_queue_length_waits_and_refusals_are_rendered_with_its_app_label()
    {
        var counters = new FrontEndCounters();
        var shop = counters.ForQueue("shop");
        counters.ForQueue("blog");
        shop.Waited(TimeSpan.FromMilliseconds(300));
        shop.Waited(TimeSpan.FromSeconds(40));
        shop.Full();
        shop.Full();
        shop.TimedOut();
        using var metrics = new SupervisorMetrics(counters);
        using var exporter = new PrometheusExporter(metrics.Meter, metrics.Histograms);
        metrics.Update(With(Worker(0)) with { Apps = [App("shop", queued: 4), App("blog", queued: 0), App("files", queued: null)] });

        var text = exporter.Render();
        var scrape = PrometheusScrape.Parse(text);

        Assert.That(scrape.Families["cluster_app_queue_length"], Is.EqualTo("gauge"));
        Assert.That(scrape.Named("cluster_app_queue_length").Select(s => (s.Labels["app"], s.Value)), Is.EqualTo(new[] { ("shop", 4.0), ("blog", 0.0) }), "an app behind a shared socket has no queue");
        Assert.That(scrape.Families["cluster_app_queue_rejected_total"], Is.EqualTo("counter"));
        Assert.That(scrape.Value("cluster_app_queue_rejected_total", ("app", "shop"), ("reason", "full")), Is.EqualTo(2));
        Assert.That(scrape.Value("cluster_app_queue_rejected_total", ("app", "shop"), ("reason", "timeout")), Is.EqualTo(1));
        Assert.That(scrape.Value("cluster_app_queue_rejected_total", ("app", "blog"), ("reason", "full")), Is.Zero);
        Assert.That(scrape.Families["cluster_app_queue_wait_seconds"], Is.EqualTo("histogram"));
        Assert.That(scrape.Value("cluster_app_queue_wait_seconds_bucket", ("app", "shop"), ("le", "0.25")), Is.Zero);
        Assert.That(scrape.Value("cluster_app_queue_wait_seconds_bucket", ("app", "shop"), ("le", "0.5")), Is.EqualTo(1));
        Assert.That(scrape.Value("cluster_app_queue_wait_seconds_bucket", ("app", "shop"), ("le", "60")), Is.EqualTo(2));
        Assert.That(scrape.Value("cluster_app_queue_wait_seconds_bucket", ("app", "shop"), ("le", "+Inf")), Is.EqualTo(2));
        Assert.That(scrape.Value("cluster_app_queue_wait_seconds_count", ("app", "shop")), Is.EqualTo(2));
        Assert.That(scrape.Value("cluster_app_queue_wait_seconds_sum", ("app", "shop")), Is.EqualTo(40.3).Within(0.001));
        Assert.That(scrape.Value("cluster_app_queue_wait_seconds_count", ("app", "blog")), Is.Zero);
        Assert.That(text, Does.Contain("cluster_frontend_request_duration_seconds_count 0\n"), "the front end's own histogram keeps its unlabelled series");
    }

    private static AppStatusReport App(string name, int? queued) =>
        new(name, "any host", [], [], queued is null ? "sharedSocket" : "proxy", "serving", 1, 1, 1, 0, null) { Queued = queued };
}
