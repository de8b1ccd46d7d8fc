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

    private static IEnumerable<TestCaseData> HttpsAndHttp2Settings()
    {
        yield return new TestCaseData("\"listen\": \"https://127.0.0.1:8443\"", "$.listen", "https://127.0.0.1:8443 is an https:// listener, but with a shared socket the workers accept the connections and terminate TLS themselves").SetName("an https listener");
        yield return new TestCaseData("\"listen\": [\"https://127.0.0.1:8443\"]", "$.listen[0]", "terminate TLS themselves").SetName("an https listener in a list");
        yield return new TestCaseData("\"listen\": [{ \"url\": \"http://127.0.0.1:8080\", \"http2\": true }]", "$.listen[0]", "\"http2\": true makes the proxy speak HTTP/2 without TLS to clients").SetName("an h2c listener");
        yield return new TestCaseData("\"listen\": [\"http://127.0.0.1:8080\", \"http://127.0.0.1:8081\"]", "$.listen", "the workers accept from one shared socket (fd 3, LISTEN_FDS=1), so \"listen\" takes exactly one URL in this mode; got 2 (http://127.0.0.1:8080, http://127.0.0.1:8081)").SetName("two listeners");
        yield return new TestCaseData("\"tls\": { \"certificate\": \"missing.pem\", \"key\": \"missing-key.pem\" }", "$.tls", "terminate TLS themselves").SetName("tls (its files not even read)");
        yield return new TestCaseData("\"redirectHttpToHttps\": true", "$.redirectHttpToHttps", "no front end sees the requests to redirect").SetName("redirectHttpToHttps");
        yield return new TestCaseData("\"hsts\": { \"maxAge\": \"1d\" }", "$.hsts", "Strict-Transport-Security").SetName("hsts");
        yield return new TestCaseData("\"hsts\": {}", "$.hsts", "Strict-Transport-Security").SetName("hsts with its defaults");
    }

    [TestCaseSource(nameof(HttpsAndHttp2Settings))]
    public void An_https_or_http2_setting_of_the_proxy_is_an_error_naming_both_keys_and_why(string section, string path, string why)
    {
        var error = Fixture.OnlyError($$"""{ {{Shared}}, {{Worker}}, {{section}} }""");

        Assert.That(error, Does.StartWith($"{path}: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.frontEnd): "));
        Assert.That(error, Does.Contain(why));
    }

    [Test]
    public void Grpc_workers_behind_the_proxy_are_an_error_with_a_shared_socket()
    {
        var error = Fixture.OnlyError($$"""{ {{Shared}}, "worker": { "command": "server", "protocol": "http2" } }""");

        Assert.That(error, Does.StartWith("$.worker.protocol: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.frontEnd): \"http2\" makes the proxy talk HTTP/2 to the workers (for gRPC)"));
        Assert.That(error, Does.EndWith("; remove one of the two"));
        Assert.That(Fixture.LoadValid($$"""{ {{Shared}}, "worker": { "command": "server", "protocol": "http1" } }""").DefaultApp().Worker.Protocol, Is.EqualTo(WorkerProtocol.Http1), "the default, said out loud, is fine");
    }

    [Test]
    public void An_https_listener_with_its_certificate_names_both_and_says_the_workers_terminate_tls()
    {
        var result = Fixture.Load($$"""{ {{Shared}}, {{Worker}}, "listen": "https://0.0.0.0:443", "tls": { "certificate": "fullchain.pem", "key": "privkey.pem" } }""");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "$.listen: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.frontEnd): https://0.0.0.0:443 is an https:// listener, but with a shared socket the workers accept the connections and terminate TLS themselves, so the supervisor has no TLS to terminate; give the shared socket an http:// URL (the supervisor only binds it; a worker may serve TLS on it) and point the workers at their own certificates (in worker.args or worker.env), or use the proxy front end",
            "$.tls: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.frontEnd): with a shared socket the workers accept the connections and terminate TLS themselves, so the supervisor has no TLS to terminate; remove \"tls\" and point the workers at their own certificates (in worker.args or worker.env), or use the proxy front end",
        }));
    }

    [Test]
    public void An_http_and_an_https_listener_are_one_too_many_and_one_of_the_wrong_kind()
    {
        var result = Fixture.Load($$"""{ {{Shared}}, {{Worker}}, "listen": ["http://0.0.0.0:80", "https://0.0.0.0:443"] }""");

        Assert.That(result.Errors.Select(e => e.Path), Is.EqualTo(new[] { "$.listen", "$.listen[1]" }));
        Assert.That(result.Errors.Select(e => e.ToString()), Has.All.Contains("($.frontEnd)"));
    }

    [Test]
    public void The_command_line_and_the_environment_are_named_as_the_listener_and_the_protocol_keys()
    {
        Assert.That(
            Fixture.OnlyError($$"""{ {{Shared}}, {{Worker}} }""", new ConfigOverrides { Listen = "https://127.0.0.1:8443" }),
            Does.StartWith("--listen: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.frontEnd): https://127.0.0.1:8443 is an https:// listener"));

        var fromEnvironment = ConfigLoader.Parse($$"""{ {{Worker}} }""", Fixture.ConfigPath, ConfigOverrides.None, Fixture.Environment with
        {
            Variables = new Dictionary<string, string> { ["SUPERVISOR_FRONTEND"] = "sharedSocket", ["SUPERVISOR_WORKER__PROTOCOL"] = "http2" },
        });
        Assert.That(fromEnvironment.Errors.Select(e => e.ToString()), Has.One.StartsWith("SUPERVISOR_WORKER__PROTOCOL: cannot be combined with \"frontEnd\": \"sharedSocket\" (SUPERVISOR_FRONTEND): "));
    }

    [Test]
    public void One_http_listener_in_any_form_and_the_settings_turned_off_are_accepted()
    {
        foreach (var listen in new[] { "\"http://127.0.0.1:8080\"", "[\"http://127.0.0.1:8080\"]", "{ \"url\": \"http://127.0.0.1:8080\" }", "[{ \"url\": \"http://127.0.0.1:8080\", \"http2\": false }]" })
        {
            var config = Fixture.LoadValid($$"""{ {{Shared}}, {{Worker}}, "listen": {{listen}}, "redirectHttpToHttps": false, "hsts": null, "tls": null }""");
            Assert.That(config.Listeners.Select(l => l.ToString()), Is.EqualTo(new[] { "http://127.0.0.1:8080" }), listen);
            Assert.That(config.Tls, Is.Null);
        }
    }

    [Test]
    public void Http2_workers_may_be_ready_by_notify_but_accepting_needs_the_shared_socket()
    {
        var notify = Fixture.LoadValid($$"""{ "worker": { "command": "server", "protocol": "http2", "readiness": { "notify": true } } }""").DefaultApp().Worker;
        Assert.That((notify.Protocol, notify.Readiness.Notify), Is.EqualTo((WorkerProtocol.Http2, true)), "notify is a datagram, whatever the workers speak");

        Assert.That(
            Fixture.OnlyError($$"""{ "worker": { "command": "server", "protocol": "http2", "readiness": { "accepting": true } } }"""),
            Does.StartWith("$.worker.readiness.accepting: readiness.accepting watches the shared listening socket, which exists only with \"frontEnd\": \"sharedSocket\""));
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
        Assert.That(config.DefaultApp().Recycle.MaxMemoryMb, Is.EqualTo(512));
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
        Assert.That(Fixture.LoadValid($$"""{ "worker": { "command": "server", "readiness": { "notify": true } } }""").DefaultApp().Worker.Readiness.Notify, Is.True);
        var accepting = Fixture.LoadValid($$"""{ {{Shared}}, "worker": { "command": "server", "readiness": { "accepting": true } } }""").DefaultApp().Worker.Readiness;
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

        Assert.That(changes.NeedRestart, Is.EqualTo(new[] { "frontEnd proxy -> sharedSocket" }));
        Assert.That(ConfigChanges.KeepRestartOnly(proxy, shared).FrontEnd, Is.EqualTo(FrontEndMode.Proxy));
    }
}
