using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>The front end's sections: proxy, limits, rateLimit, accessLog, loadBalancerHealth.</summary>
public sealed class FrontEndConfigTests : ConfigTestBase
{
    private const string Worker = "\"worker\": { \"command\": \"server\" }";

    [Test]
    public void The_front_end_defaults_are_round_robin_with_retry_and_everything_optional_off()
    {
        var config = Fixture.LoadValid($$"""{ {{Worker}} }""");

        Assert.That(config.Proxy, Is.EqualTo(new ProxyConfig
        {
            LoadBalancing = LoadBalancingPolicy.RoundRobin,
            Retry = true,
            RequestTimeout = TimeSpan.FromSeconds(100),
            ForwardedHeaders = ForwardedHeadersMode.Set,
        }));
        Assert.That(config.Limits, Is.EqualTo(new LimitsConfig
        {
            MaxRequestBodyBytes = 30_000_000,
            MaxRequestHeadersBytes = 32 * 1024,
            MaxRequestHeaderCount = 100,
            RequestHeadersTimeout = TimeSpan.FromSeconds(30),
            KeepAliveTimeout = TimeSpan.FromSeconds(130),
            MaxConnections = null,
            Http2MaxStreamsPerConnection = 100,
            Http2HeaderTableSize = 4096,
            Http2InitialConnectionWindowSize = 1024 * 1024,
            Http2InitialStreamWindowSize = 768 * 1024,
            Http2MaxFrameSize = 16 * 1024,
        }));
        Assert.That(config.RateLimit, Is.Null);
        Assert.That(config.AccessLog.Enabled, Is.False);
        Assert.That(config.LoadBalancerHealth.Enabled, Is.False);
        Assert.That(config.LoadBalancerHealth.DrainDelay, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Every_front_end_key_is_read()
    {
        var config = Fixture.LoadValid($$"""
            {
              {{Worker}},
              "proxy": { "loadBalancing": "powerOfTwoChoices", "retry": false, "requestTimeout": "20s", "forwardedHeaders": "append" },
              "limits": {
                "maxRequestBodySize": "10MB", "maxRequestHeadersSize": "16KB", "maxRequestHeaderCount": 50,
                "requestHeadersTimeout": "10s", "keepAliveTimeout": "75s", "maxConnections": 10000
              },
              "rateLimit": { "requests": 600, "window": "1m" },
              "accessLog": { "enabled": true },
              "loadBalancerHealth": { "path": "/_cluster/health", "listen": "http://127.0.0.1:8081", "drainDelay": "5s" }
            }
            """);

        Assert.That(config.Proxy, Is.EqualTo(new ProxyConfig
        {
            LoadBalancing = LoadBalancingPolicy.PowerOfTwoChoices,
            Retry = false,
            RequestTimeout = TimeSpan.FromSeconds(20),
            ForwardedHeaders = ForwardedHeadersMode.Append,
        }));
        Assert.That(config.Limits, Is.EqualTo(new LimitsConfig
        {
            MaxRequestBodyBytes = 10 * 1024 * 1024,
            MaxRequestHeadersBytes = 16 * 1024,
            MaxRequestHeaderCount = 50,
            RequestHeadersTimeout = TimeSpan.FromSeconds(10),
            KeepAliveTimeout = TimeSpan.FromSeconds(75),
            MaxConnections = 10000,
            Http2MaxStreamsPerConnection = 100,
            Http2HeaderTableSize = 4096,
            Http2InitialConnectionWindowSize = 1024 * 1024,
            Http2InitialStreamWindowSize = 768 * 1024,
            Http2MaxFrameSize = 16 * 1024,
        }));
        Assert.That(config.RateLimit, Is.EqualTo(new RateLimitConfig { Requests = 600, Window = TimeSpan.FromMinutes(1) }));
        Assert.That(config.AccessLog.Enabled, Is.True);
        Assert.That(config.LoadBalancerHealth.Path, Is.EqualTo("/_cluster/health"));
        Assert.That(config.LoadBalancerHealth.Listen?.Port, Is.EqualTo(8081));
        Assert.That(config.LoadBalancerHealth.DrainDelay, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [TestCase("leastRequests", LoadBalancingPolicy.LeastRequests)]
    [TestCase("roundRobin", LoadBalancingPolicy.RoundRobin)]
    public void Each_load_balancing_policy_can_be_chosen(string name, LoadBalancingPolicy expected) =>
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}}, "proxy": { "loadBalancing": "{{name}}" } }""").Proxy.LoadBalancing, Is.EqualTo(expected));

    [Test]
    public void A_null_body_size_means_no_limit() =>
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}}, "limits": { "maxRequestBodySize": null } }""").Limits.MaxRequestBodyBytes, Is.Null);

    [Test]
    public void An_unknown_policy_names_the_allowed_ones()
    {
        var error = Fixture.OnlyError($$"""{ {{Worker}}, "proxy": { "loadBalancing": "random" } }""");

        Assert.That(error, Does.StartWith("$.proxy.loadBalancing: "));
        Assert.That(error, Does.Contain("roundRobin").And.Contain("powerOfTwoChoices").And.Contain("leastRequests").And.Contain("\"random\""));
    }

    [TestCase("\"10XB\"")]
    [TestCase("\"ten megabytes\"")]
    [TestCase("1048576")]
    public void A_size_needs_a_unit(string value)
    {
        var error = Fixture.OnlyError($$"""{ {{Worker}}, "limits": { "maxRequestBodySize": {{value}} } }""");

        Assert.That(error, Does.StartWith("$.limits.maxRequestBodySize: expected a size with a unit, such as \"32KB\", \"10MB\" or \"1GB\""));
    }

    [Test]
    public void A_rate_limit_of_zero_requests_is_refused() =>
        Assert.That(Fixture.OnlyError($$"""{ {{Worker}}, "rateLimit": { "requests": 0 } }"""), Does.StartWith("$.rateLimit.requests: "));

    [Test]
    public void A_health_path_must_be_a_path() =>
        Assert.That(Fixture.OnlyError($$"""{ {{Worker}}, "loadBalancerHealth": { "path": "health" } }"""), Does.StartWith("$.loadBalancerHealth.path: "));

    [Test]
    public void A_health_listener_on_the_public_port_is_refused() =>
        Assert.That(
            Fixture.OnlyError($$"""{ {{Worker}}, "listen": "http://127.0.0.1:8080", "loadBalancerHealth": { "listen": "http://127.0.0.1:8080" } }"""),
            Does.StartWith("$.loadBalancerHealth.listen: "));

    [Test]
    public void A_retry_flag_must_be_a_boolean() =>
        Assert.That(Fixture.OnlyError($$"""{ {{Worker}}, "proxy": { "retry": "yes" } }"""), Does.StartWith("$.proxy.retry: expected true or false"));
}
