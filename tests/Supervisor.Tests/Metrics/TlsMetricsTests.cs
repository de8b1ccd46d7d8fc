using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Tests.FrontEnd;
using Cluster.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static Cluster.Supervisor.Tests.Metrics.StatusReports;

namespace Cluster.Supervisor.Tests.Metrics;

/// <summary>cluster_tls_certificate_expiry_timestamp_seconds: one series per served certificate, following renewals.</summary>
public sealed class TlsMetricsTests
{
    [Test]
    public void Each_served_certificate_has_its_expiry_time_labelled_with_its_names()
    {
        using var folder = new CertbotFolder();
        folder.Renew("a.example.test", ["a.example.test", "www.a.example.test"], notAfter: DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));
        folder.Renew("b.example.test", notAfter: DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = TlsCertificateStore.Load(new TlsConfig { List = [folder.Files("a.example.test"), folder.Files("b.example.test")] }, time, new ListLogger());
        using var metrics = new SupervisorMetrics(new FrontEndCounters(), tls: store);
        using var exporter = new PrometheusExporter(metrics.Meter, metrics.Histograms);
        metrics.Update(With(Worker(0)));

        var scrape = PrometheusScrape.Parse(exporter.Render());

        Assert.That(scrape.Families["cluster_tls_certificate_expiry_timestamp_seconds"], Is.EqualTo("gauge"));
        Assert.That(
            scrape.Named("cluster_tls_certificate_expiry_timestamp_seconds").Select(s => (s.Labels["names"], s.Value)),
            Is.EqualTo(new[] { ("a.example.test, www.a.example.test", 1_900_000_000.0), ("b.example.test", 1_800_000_000.0) }));

        folder.Renew("a.example.test", notAfter: DateTimeOffset.FromUnixTimeSeconds(1_950_000_000));
        store.Reload(new TlsConfig { List = [folder.Files("a.example.test"), folder.Files("b.example.test")] }, "test");
        Assert.That(PrometheusScrape.Parse(exporter.Render()).Named("cluster_tls_certificate_expiry_timestamp_seconds").First().Value, Is.EqualTo(1_950_000_000.0));
    }

    [Test]
    public void Without_tls_there_is_no_certificate_metric()
    {
        using var metrics = new SupervisorMetrics(new FrontEndCounters());
        using var exporter = new PrometheusExporter(metrics.Meter, metrics.Histograms);
        metrics.Update(With(Worker(0)));

        Assert.That(PrometheusScrape.Parse(exporter.Render()).Families.Keys, Has.None.StartsWith("cluster_tls"));
    }
}
