using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Metrics;
using Cluster.TestSupport;
using Serilog;

namespace Cluster.Supervisor.Tests.Metrics;

/// <summary>cluster_log_dropped_events_total: one series per log destination, moving with its queue's drops.</summary>
public sealed class LogDropMetricTests
{
    [Test]
    public void Each_destination_has_a_series_and_its_drops_are_counted()
    {
        using var stuck = new TestLogSink(held: true);
        var buffers = new LogBuffers(capacity: 1);
        var configuration = new LoggerConfiguration();
        buffers.Add(configuration.WriteTo, "console", "console", writeTo => writeTo.Sink(stuck), _ => { });
        var quiet = new LoggerConfiguration();
        buffers.Add(quiet.WriteTo, "file", "log file", _ => { }, _ => { });
        using var quietLogger = quiet.CreateLogger();
        var logger = configuration.CreateLogger();
        using var metrics = new SupervisorMetrics(new FrontEndCounters(), buffers);
        using var exporter = new PrometheusExporter(metrics.Meter, metrics.Histograms);

        logger.Information("taken by the writer");
        Assert.That(stuck.Entered.Wait(Waits.Patience), Is.True);
        logger.Information("queued");
        logger.Information("dropped");
        logger.Information("dropped");
        var scrape = PrometheusScrape.Parse(exporter.Render());
        stuck.Release();
        logger.Dispose();

        Assert.That(scrape.Families["cluster_log_dropped_events_total"], Is.EqualTo("counter"));
        Assert.That(scrape.Value("cluster_log_dropped_events_total", ("destination", "console")), Is.EqualTo(2));
        Assert.That(scrape.Value("cluster_log_dropped_events_total", ("destination", "file")), Is.Zero);
    }
}
