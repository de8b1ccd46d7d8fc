using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Metrics;

/// <summary>The test-side Prometheus text parser accepts the format and refuses what breaks it, so its verdicts count.</summary>
public sealed class PrometheusScrapeTests
{
    private const string Histogram = "# TYPE d histogram\n";

    [Test]
    public void A_valid_exposition_is_read_with_its_labels_and_values()
    {
        var scrape = PrometheusScrape.Parse(
            "# HELP r_total Requests \\\\ by \\n code\n# TYPE r_total counter\nr_total{code=\"2xx\",path=\"a\\\"b\\\\c\\nd\"} 3\nr_total{code=\"5xx\"} 1e3 1700000000000\n" +
            "# TYPE g gauge\ng -1.5\ng{x=\"\"} NaN\n" +
            Histogram + "d_bucket{le=\"0.1\"} 1\nd_bucket{le=\"1\"} 2\nd_bucket{le=\"+Inf\"} 3\nd_sum 4.5\nd_count 3\n");

        Assert.That(scrape.Value("r_total", ("path", "a\"b\\c\nd")), Is.EqualTo(3));
        Assert.That(scrape.Value("r_total", ("code", "5xx")), Is.EqualTo(1000));
        Assert.That(scrape.Value("g", ("x", "")), Is.NaN);
        Assert.That(scrape.Value("d_count"), Is.EqualTo(3));
        Assert.That(scrape.Families, Has.Count.EqualTo(3));
    }

    [TestCase("# TYPE a gauge\na 1", "line feed")]
    [TestCase("a 1\n", "without a TYPE")]
    [TestCase("# TYPE 1a gauge\n1a 1\n", "neither")]
    [TestCase("# TYPE a gauge\na{1b=\"x\"} 1\n", "label name")]
    [TestCase("# TYPE a gauge\na{__b=\"x\"} 1\n", "label name")]
    [TestCase("# TYPE a gauge\na{b=\"x\\t\"} 1\n", "escape")]
    [TestCase("# TYPE a gauge\na{b=\"x} 1\n", "unterminated")]
    [TestCase("# TYPE a gauge\na{b=\"x\"c=\"y\"} 1\n", "expected , or }")]
    [TestCase("# TYPE a gauge\na  1\n", "value")]
    [TestCase("# TYPE a gauge\na one\n", "value")]
    [TestCase("# TYPE a gauge\na{b=\"1\"} 1\na{b=\"1\"} 2\n", "duplicate")]
    [TestCase("# TYPE a gauge\n# TYPE a counter\n", "second TYPE")]
    [TestCase("# TYPE a widget\n", "unknown type")]
    [TestCase("# a remark\n", "neither")]
    [TestCase("# HELP a bad \\t escape\n", "escape")]
    [TestCase("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n", "again")]
    [TestCase("# TYPE a_total counter\na_total -1\n", "negative")]
    [TestCase("# TYPE a counter\na 1\n", "_total")]
    [TestCase(Histogram + "d_bucket{le=\"1\"} 2\nd_bucket{le=\"+Inf\"} 1\nd_sum 1\nd_count 1\n", "cumulative")]
    [TestCase(Histogram + "d_bucket{le=\"1\"} 2\nd_sum 1\nd_count 2\n", "+Inf")]
    [TestCase(Histogram + "d_bucket{le=\"1\"} 1\nd_bucket{le=\"+Inf\"} 2\nd_sum 1\nd_count 3\n", "_count")]
    [TestCase(Histogram + "d_bucket{le=\"1\"} 1\nd_bucket{le=\"+Inf\"} 2\nd_count 2\n", "_sum")]
    [TestCase(Histogram + "d_bucket{le=\"2\"} 1\nd_bucket{le=\"1\"} 1\nd_bucket{le=\"+Inf\"} 1\nd_sum 1\nd_count 1\n", "increasing")]
    public void What_breaks_the_format_is_refused(string text, string reason) =>
        Assert.That(() => PrometheusScrape.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(reason));
}
