using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>"frontEnd", the keys a shared socket rules out, {fd}, and the readiness checks of that mode.</summary>
public sealed class SharedSocketConfigTests : ConfigTestBase
{
    private const string Worker = "\"worker\": { \"command\": \"server\" }";
    private const string Shared = "\"frontEnd\": \"sharedSocket\"";

    [Test]
    public void The_front_end_is_the_proxy_unless_set()
    {
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}} }""").FrontEnd, Is.EqualTo(FrontEndMode.Proxy));
        Assert.That(Fixture.LoadValid($$"""{ "frontEnd": "proxy", {{Worker}} }""").FrontEnd, Is.EqualTo(FrontEndMode.Proxy));
        Assert.That(Fixture.LoadValid($$"""{ {{Shared}}, {{Worker}} }""").FrontEnd, Is.EqualTo(FrontEndMode.SharedSocket));
    }

    [Test]
    public void An_unknown_front_end_names_the_allowed_values() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "frontEnd": "shared", {{Worker}} }"""),
            Is.EqualTo("$.frontEnd: expected one of \"proxy\", \"sharedSocket\", got a string (\"shared\")"));

    private static IEnumerable<TestCaseData> ProxyOnlyKeys()
    {
        yield return new TestCaseData("\"rateLimit\": { \"requests\": 10 }", "$.rateLimit").SetName("rateLimit");
        yield return new TestCaseData("\"proxy\": { \"retry\": false }", "$.proxy.retry").SetName("proxy.retry");
        yield return new TestCaseData("\"proxy\": { \"loadBalancing\": \"leastRequests\" }", "$.proxy.loadBalancing").SetName("proxy.loadBalancing");
        yield return new TestCaseData("\"proxy\": { \"forwardedHeaders\": \"append\" }", "$.proxy.forwardedHeaders").SetName("proxy.forwardedHeaders");
        yield return new TestCaseData("\"limits\": { \"maxRequestBodySize\": \"1MB\" }", "$.limits.maxRequestBodySize").SetName("limits.maxRequestBodySize");
        yield return new TestCaseData("\"accessLog\": { \"enabled\": true }", "$.accessLog.enabled").SetName("accessLog.enabled");
        yield return new TestCaseData("\"loadBalancerHealth\": { \"path\": \"/health\" }", "$.loadBalancerHealth.path").SetName("loadBalancerHealth.path");
        yield return new TestCaseData("\"recycle\": { \"maxRequests\": 1000 }", "$.recycle.maxRequests").SetName("recycle.maxRequests");
    }

    [TestCaseSource(nameof(ProxyOnlyKeys))]
    public void A_key_only_the_proxy_can_honour_is_an_error_naming_both_keys(string section, string path)
    {
        var error = Fixture.OnlyError($$"""{ {{Shared}}, {{Worker}}, {{section}} }""");

        Assert.That(error, Does.StartWith($"{path}: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.frontEnd): "));
        Assert.That(error, Does.EndWith("; remove one of the two"));
    }

    [Test]
    public void What_still_applies_with_a_shared_socket_is_accepted()
    {
        var config = Fixture.LoadValid($$"""
            {
              {{Shared}}, {{Worker}},
              "accessLog": { "enabled": false },
              "loadBalancerHealth": { "listen": "http://127.0.0.1:8081", "drainDelay": "2s" },
              "recycle": { "maxMemoryMb": 512 },
              "health": { "path": "/healthz" },
              "metrics": { "listen": "http://127.0.0.1:9100" }
            }
            """);

        Assert.That(config.LoadBalancerHealth.Listen!.Port, Is.EqualTo(8081));
        Assert.That(config.Recycle.MaxMemoryMb, Is.EqualTo(512));
    }

    [Test]
    public void The_environment_can_choose_the_mode_and_a_proxy_only_variable_is_named_in_the_error()
    {
        var shared = ConfigLoader.Parse($$"""{ {{Worker}} }""", Fixture.ConfigPath, ConfigOverrides.None, Fixture.Environment with
        {
            Variables = new Dictionary<string, string> { ["SUPERVISOR_FRONTEND"] = "sharedSocket", ["SUPERVISOR_PROXY__RETRY"] = "false" },
        });

        Assert.That(shared.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "SUPERVISOR_PROXY__RETRY: cannot be combined with \"frontEnd\": \"sharedSocket\" (SUPERVISOR_FRONTEND): the workers accept connections themselves, so no front end sees the requests to forward, retry, time out or balance; remove one of the two",
        }));
    }

    [Test]
    public void The_fd_placeholder_is_an_error_without_a_shared_socket()
    {
        var result = Fixture.Load($$"""{ "worker": { "command": "server", "args": ["--bind", "fd://{fd}"], "env": { "FD": "{fd}" } } }""");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "$.worker.args[1]: {fd} is the shared listening socket's file descriptor, given only with \"frontEnd\": \"sharedSocket\"",
            "$.worker.env.FD: {fd} is the shared listening socket's file descriptor, given only with \"frontEnd\": \"sharedSocket\"",
        }));
    }

    [Test]
    public void Python_http_server_cannot_serve_from_a_shared_socket()
    {
        var error = Fixture.OnlyError($$"""{ {{Shared}}, "worker": { "command": "server", "args": ["-m", "http.server", "{port}"] } }""");

        Assert.That(error, Does.StartWith("$.worker.args[1]: Python's http.server only listens on a port of its own and cannot accept from the shared socket"));
    }

    [Test]
    public void A_worker_given_its_port_but_not_the_socket_is_warned_about()
    {
        var warned = Fixture.Load($$"""{ {{Shared}}, "worker": { "command": "server", "args": ["--port", "{port}"] } }""");
        var fine = Fixture.Load($$"""{ {{Shared}}, "worker": { "command": "server", "args": ["--port", "{port}", "--fd", "{fd}"] } }""");

        Assert.That(warned.IsValid, Is.True);
        Assert.That(warned.Warnings, Has.One.StartsWith("worker.args or worker.env passes {port} but not {fd}"));
        Assert.That(fine.Warnings, Is.Empty);
    }

    [Test]
    public void The_readiness_checks_are_one_of_path_notify_and_accepting()
    {
        Assert.That(Fixture.LoadValid($$"""{ "worker": { "command": "server", "readiness": { "notify": true } } }""").Worker.Readiness.Notify, Is.True);
        var accepting = Fixture.LoadValid($$"""{ {{Shared}}, "worker": { "command": "server", "readiness": { "accepting": true } } }""").Worker.Readiness;
        Assert.That(accepting.Accepting, Is.True);
        Assert.That(accepting.Description, Is.EqualTo("accepting on the shared socket"));

        Assert.That(
            Fixture.OnlyError($$"""{ "worker": { "command": "server", "readiness": { "path": "/ready", "notify": true } } }"""),
            Is.EqualTo("$.worker.readiness.notify: readiness.path, readiness.notify and readiness.accepting are different readiness checks; keep one (also set: $.worker.readiness.path)"));
        Assert.That(
            Fixture.OnlyError($$"""{ "worker": { "command": "server", "readiness": { "accepting": true } } }"""),
            Is.EqualTo("$.worker.readiness.accepting: readiness.accepting watches the shared listening socket, which exists only with \"frontEnd\": \"sharedSocket\""));
    }

    [Test]
    public void Notify_sockets_need_a_control_socket_folder_short_enough_for_socket_paths()
    {
        var folder = "/tmp/" + new string('d', 80);
        var error = Fixture.OnlyError($$"""{ "control": { "socket": "{{folder}}/c.sock" }, "worker": { "command": "server", "readiness": { "notify": true } } }""");

        Assert.That(error, Does.StartWith($"$.worker.readiness.notify: the workers' notify sockets would be made beside the control socket, in \"{folder}\""));
    }

    [Test]
    public void Changing_the_front_end_needs_a_supervisor_restart()
    {
        var proxy = Fixture.LoadValid($$"""{ {{Worker}} }""");
        var shared = proxy with { FrontEnd = FrontEndMode.SharedSocket };

        var changes = ConfigChanges.Between(proxy, shared);

        Assert.That(changes.NeedRestart, Is.EqualTo(new[] { "frontEnd Proxy -> SharedSocket" }));
        Assert.That(ConfigChanges.KeepRestartOnly(proxy, shared).FrontEnd, Is.EqualTo(FrontEndMode.Proxy));
    }
}
