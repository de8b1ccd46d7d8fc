using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>The "metrics" section: an optional loopback listener; the control socket always serves /metrics.</summary>
public sealed class MetricsConfigTests : ConfigTestBase
{
    private const string Worker = "\"worker\": { \"command\": \"server\" }";

    [Test]
    public void By_default_metrics_have_no_listener_of_their_own() =>
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}} }""").Metrics.Listen, Is.Null);

    [TestCase("http://127.0.0.1:9100", 9100)]
    [TestCase("http://127.0.0.2:9101", 9101)]
    [TestCase("http://[::1]:9102", 9102)]
    [TestCase("http://localhost:9103", 9103)]
    public void A_loopback_listener_is_accepted(string url, int port)
    {
        var listen = Fixture.LoadValid($$"""{ {{Worker}}, "metrics": { "listen": "{{url}}" } }""").Metrics.Listen;

        Assert.That(listen?.Url, Is.EqualTo(url));
        Assert.That(listen?.Port, Is.EqualTo(port));
    }

    [TestCase("http://0.0.0.0:9100")]
    [TestCase("http://*:9100")]
    [TestCase("http://[::]:9100")]
    [TestCase("http://10.0.0.5:9100")]
    public void Any_other_address_is_refused_because_metrics_are_unauthenticated(string url)
    {
        var error = Fixture.OnlyError($$"""{ {{Worker}}, "metrics": { "listen": "{{url}}" } }""");

        Assert.That(error, Does.StartWith("$.metrics.listen: expected a loopback URL"));
        Assert.That(error, Does.Contain(url).And.Contain("without authentication"));
    }

    [TestCase("\"https://127.0.0.1:9100\"", "https is for the public listeners (\"listen\") only")]
    [TestCase("\"http://127.0.0.1:9100/metrics\"", "a path")]
    [TestCase("9100", "expected a loopback URL")]
    public void A_listener_that_is_not_a_URL_is_refused(string value, string reason)
    {
        var error = Fixture.OnlyError($$"""{ {{Worker}}, "metrics": { "listen": {{value}} } }""");

        Assert.That(error, Does.StartWith("$.metrics.listen: ").And.Contain(reason));
    }

    [Test]
    public void The_public_port_cannot_also_serve_metrics() =>
        Assert.That(
            Fixture.OnlyError($$"""{ {{Worker}}, "listen": "http://0.0.0.0:8080", "metrics": { "listen": "http://127.0.0.1:8080" } }"""),
            Does.StartWith("$.metrics.listen: port 8080 is already used by listen"));

    [Test]
    public void The_health_port_cannot_also_serve_metrics() =>
        Assert.That(
            Fixture.OnlyError($$"""{ {{Worker}}, "loadBalancerHealth": { "listen": "http://0.0.0.0:8081" }, "metrics": { "listen": "http://127.0.0.1:8081" } }"""),
            Does.StartWith("$.metrics.listen: port 8081 is already used by loadBalancerHealth.listen"));

    [Test]
    public void An_unknown_key_names_the_allowed_one() =>
        Assert.That(Fixture.OnlyError($$"""{ {{Worker}}, "metrics": { "port": 9100 } }"""), Does.StartWith("$.metrics.port: unknown key").And.Contain("listen"));

    [Test]
    public void A_changed_listener_needs_a_supervisor_restart()
    {
        var running = Fixture.LoadValid($$"""{ {{Worker}} }""");
        var loaded = Fixture.LoadValid($$"""{ {{Worker}}, "metrics": { "listen": "http://127.0.0.1:9100" } }""");

        var changes = ConfigChanges.Between(running, loaded);

        Assert.That(changes.NeedRestart, Is.EqualTo(new[] { "metrics.listen (none) -> http://127.0.0.1:9100" }));
        Assert.That(changes.Applied, Is.Empty);
        Assert.That(ConfigChanges.KeepRestartOnly(running, loaded).Metrics.Listen, Is.Null);
        Assert.That(ConfigChanges.Between(loaded, Fixture.LoadValid($$"""{ {{Worker}}, "metrics": { "listen": "http://127.0.0.1:9100" } }""")).Any, Is.False);
    }
}
