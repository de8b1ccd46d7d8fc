using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>"listen": one URL, a comma list, an object with http2, an array; every way of writing it, every error.</summary>
public sealed class ListenConfigTests : ConfigTestBase
{
    private const string Worker = "\"worker\": { \"command\": \"server\" }";

    [Test]
    public void An_array_mixes_urls_and_objects_in_order()
    {
        var config = Fixture.LoadValid($$"""{ "listen": ["http://0.0.0.0:80", { "url": "http://10.0.0.5:50051", "http2": true }, "http://[::1]:8080"], {{Worker}} }""");

        Assert.That(config.Listeners.Select(l => (l.Url, l.Scheme, l.Http2)), Is.EqualTo(new[]
        {
            ("http://0.0.0.0:80", ListenScheme.Http, false),
            ("http://10.0.0.5:50051", ListenScheme.Http, true),
            ("http://[::1]:8080", ListenScheme.Http, false),
        }));
        Assert.That(config.ListenDescription, Is.EqualTo("http://0.0.0.0:80, http://10.0.0.5:50051 (h2c), http://[::1]:8080"));
    }

    [Test]
    public void A_single_object_and_a_comma_separated_string_are_listeners_too()
    {
        Assert.That(Fixture.LoadValid($$"""{ "listen": { "url": "http://127.0.0.1:9000", "http2": true }, {{Worker}} }""").Listeners.Single().Http2, Is.True);
        Assert.That(
            Fixture.LoadValid($$"""{ "listen": "http://127.0.0.1:9000, http://127.0.0.1:9001", {{Worker}} }""").Listeners.Select(l => l.Port),
            Is.EqualTo(new[] { 9000, 9001 }));
    }

    [Test]
    public void Https_defaults_to_port_443_and_http_to_80()
    {
        var folder = Fixture.Folder;
        using var ca = new Cluster.TestSupport.TestCertificateAuthority();
        ca.WritePem(Path.Combine(folder, "fullchain.pem"), Path.Combine(folder, "privkey.pem"), ["example.test"]);

        var config = Fixture.LoadValid($$"""{ "listen": ["http://0.0.0.0", "https://0.0.0.0"], "tls": { "certificate": "fullchain.pem", "key": "privkey.pem" }, {{Worker}} }""");

        Assert.That(config.Listeners.Select(l => (l.Url, l.Port, l.IsHttps)), Is.EqualTo(new[] { ("http://0.0.0.0:80", 80, false), ("https://0.0.0.0:443", 443, true) }));
        Assert.That(config.FirstHttpsListener!.Port, Is.EqualTo(443));
    }

    [TestCase("""[]""", "$.listen: expected at least one listener")]
    [TestCase("""8080""", "$.listen: expected a URL such as \"http://0.0.0.0:80\" or \"https://0.0.0.0:443\", an object")]
    [TestCase("""["http://0.0.0.0:80", 443]""", "$.listen[1]: expected a URL or an object")]
    [TestCase("""["http://0.0.0.0:80", "ftp://0.0.0.0:21"]""", "$.listen[1]: expected a URL such as")]
    [TestCase("""[{ "http2": true }]""", "$.listen[0].url: required")]
    [TestCase("""[{ "url": "http://0.0.0.0:80", "htp2": true }]""", "$.listen[0].htp2: unknown key (did you mean \"http2\"?)")]
    [TestCase("""[{ "url": "http://0.0.0.0:80", "http2": "yes" }]""", "$.listen[0].http2: expected true or false")]
    [TestCase("""["http://0.0.0.0:80", "http://127.0.0.1:80"]""", "$.listen[1]: port 80 is already used by http://0.0.0.0:80 ($.listen[0])")]
    [TestCase("""["http://0.0.0.0:80", "https://0.0.0.0:80"]""", "$.listen[1]: port 80 is already used by http://0.0.0.0:80 ($.listen[0])")]
    [TestCase("""["http://0.0.0.0:80", "https://0.0.0.0:443"]""", "$.listen[1]: https://0.0.0.0:443 is an https:// listener, and there is no \"tls\" section")]
    [TestCase("""{ "url": "https://0.0.0.0:443", "http2": true }""", "$.listen.http2: https:// listeners always offer HTTP/2 and HTTP/1.1 (by ALPN)")]
    [TestCase("""["http://0.0.0.0:80", "http://0.0.0.0:8o"]""", "$.listen[1]: expected a URL such as")]
    public void A_bad_listener_is_named_by_its_path(string listen, string error) =>
        Assert.That(Fixture.OnlyError($$"""{ "listen": {{listen}}, {{Worker}} }"""), Does.StartWith(error));

    [Test]
    public void The_health_and_metrics_ports_must_differ_from_every_listener()
    {
        var health = Fixture.Load($$"""{ "listen": ["http://0.0.0.0:80", "http://0.0.0.0:8081"], "loadBalancerHealth": { "listen": "http://0.0.0.0:8081" }, {{Worker}} }""");
        var metrics = Fixture.Load($$"""{ "listen": ["http://0.0.0.0:80", "http://0.0.0.0:9100"], "metrics": { "listen": "http://127.0.0.1:9100" }, {{Worker}} }""");

        Assert.That(health.Errors.Single().ToString(), Does.StartWith("$.loadBalancerHealth.listen: port 8081 is already the public listener http://0.0.0.0:8081's"));
        Assert.That(metrics.Errors.Single().ToString(), Does.StartWith("$.metrics.listen: port 9100 is already used by listen"));
    }

    [Test]
    public void The_environment_takes_a_comma_list_or_a_json_array_and_the_flag_a_comma_list()
    {
        var file = $$"""{ "listen": "http://127.0.0.1:8080", {{Worker}} }""";
        var fromList = Parse(file, new() { ["SUPERVISOR_LISTEN"] = "http://0.0.0.0:8000,http://0.0.0.0:8001" });
        var fromArray = Parse(file, new() { ["SUPERVISOR_LISTEN"] = """["http://0.0.0.0:8000", {"url": "http://0.0.0.0:8001", "http2": true}]""" });
        var fromFlag = Parse(file, [], new ConfigOverrides { Listen = "http://0.0.0.0:7000,http://0.0.0.0:7001" });
        var badFlag = Parse(file, [], new ConfigOverrides { Listen = "http://0.0.0.0:7000,nonsense" });

        Assert.That(fromList.Config!.ListenDescription, Is.EqualTo("http://0.0.0.0:8000, http://0.0.0.0:8001"));
        Assert.That(fromArray.Config!.ListenDescription, Is.EqualTo("http://0.0.0.0:8000, http://0.0.0.0:8001 (h2c)"));
        Assert.That(fromFlag.Config!.ListenDescription, Is.EqualTo("http://0.0.0.0:7000, http://0.0.0.0:7001"));
        Assert.That(badFlag.Errors.Single().ToString(), Does.StartWith("--listen[1]: expected a URL such as").And.Contain("\"nonsense\": not a URL"));
    }

    [Test]
    public void A_changed_listener_needs_a_restart_and_keeps_the_running_ones()
    {
        var running = Fixture.LoadValid($$"""{ "listen": ["http://0.0.0.0:8000"], {{Worker}} }""");
        var loaded = Fixture.LoadValid($$"""{ "listen": ["http://0.0.0.0:8000", "http://0.0.0.0:8001"], {{Worker}} }""");
        var same = Fixture.LoadValid($$"""{ "listen": "http://0.0.0.0:8000", {{Worker}} }""");

        Assert.That(ConfigChanges.Between(running, loaded).NeedRestart, Is.EqualTo(new[] { "listen http://0.0.0.0:8000 -> http://0.0.0.0:8000, http://0.0.0.0:8001" }));
        Assert.That(ConfigChanges.KeepRestartOnly(running, loaded).Listeners, Is.SameAs(running.Listeners));
        Assert.That(ConfigChanges.Between(running, same).Any, Is.False, "the same listeners written another way are no change");
    }

    [Test]
    public void Worker_protocol_is_http1_or_http2_and_changing_it_needs_a_restart()
    {
        var http1 = Fixture.LoadValid("""{ "worker": { "command": "server" } }""");
        var http2 = Fixture.LoadValid("""{ "worker": { "command": "server", "protocol": "http2" } }""");

        Assert.That((http1.DefaultApp().Worker.Protocol, http2.DefaultApp().Worker.Protocol), Is.EqualTo((WorkerProtocol.Http1, WorkerProtocol.Http2)));
        Assert.That(Fixture.OnlyError("""{ "worker": { "command": "server", "protocol": "grpc" } }"""), Is.EqualTo("$.worker.protocol: expected one of \"http1\", \"http2\", got a string (\"grpc\")"));
        Assert.That(ConfigChanges.Between(http1, http2).NeedRestart, Is.EqualTo(new[] { "worker.protocol http1 -> http2" }));
        Assert.That(ConfigChanges.Between(http1, http2).Of("default").WorkerProgramChanged, Is.False, "no rolling reload into workers the front end would not speak to");
        Assert.That(ConfigChanges.KeepRestartOnly(http1, http2).DefaultApp().Worker.Protocol, Is.EqualTo(WorkerProtocol.Http1));
    }

    [Test]
    public void The_http2_limits_default_to_kestrels_and_are_checked()
    {
        var defaults = Fixture.LoadValid($$"""{ {{Worker}} }""").Limits;
        var set = Fixture.LoadValid($$"""{ {{Worker}}, "limits": { "http2MaxStreamsPerConnection": 250, "http2HeaderTableSize": "8KB", "http2InitialConnectionWindowSize": "4MB", "http2InitialStreamWindowSize": "2MB", "http2MaxFrameSize": "64KB" } }""").Limits;
        var kestrel = new Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions().Limits.Http2;

        Assert.That(
            (defaults.Http2MaxStreamsPerConnection, defaults.Http2HeaderTableSize, defaults.Http2InitialConnectionWindowSize, defaults.Http2InitialStreamWindowSize, defaults.Http2MaxFrameSize),
            Is.EqualTo((kestrel.MaxStreamsPerConnection, kestrel.HeaderTableSize, kestrel.InitialConnectionWindowSize, kestrel.InitialStreamWindowSize, kestrel.MaxFrameSize)));
        Assert.That(
            (set.Http2MaxStreamsPerConnection, set.Http2HeaderTableSize, set.Http2InitialConnectionWindowSize, set.Http2InitialStreamWindowSize, set.Http2MaxFrameSize),
            Is.EqualTo((250, 8192, 4 * 1024 * 1024, 2 * 1024 * 1024, 64 * 1024)));
        Assert.That(Fixture.OnlyError($$"""{ {{Worker}}, "limits": { "http2MaxFrameSize": "8KB" } }"""), Does.StartWith("$.limits.http2MaxFrameSize: expected a size from 16KB"));
        Assert.That(Fixture.OnlyError($$"""{ {{Worker}}, "limits": { "http2InitialStreamWindowSize": "1KB" } }"""), Does.StartWith("$.limits.http2InitialStreamWindowSize: expected a size from"));
        Assert.That(Fixture.OnlyError($$"""{ {{Worker}}, "limits": { "http2MaxStreamsPerConnection": 0 } }"""), Does.StartWith("$.limits.http2MaxStreamsPerConnection: expected concurrent HTTP/2 streams per connection"));
    }

    private ConfigLoadResult Parse(string json, Dictionary<string, string> variables, ConfigOverrides? overrides = null) =>
        ConfigLoader.Parse(json, Fixture.ConfigPath, overrides ?? ConfigOverrides.None, Fixture.Environment with { Variables = variables });
}
