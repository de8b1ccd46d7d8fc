using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Layout;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>"apps": several apps with their routes, the short form as one app "default", and every config refused with its message.</summary>
public sealed class AppsConfigTests : ConfigTestBase
{
    private const string Server = "\"worker\": { \"command\": \"server\" }";

    [Test]
    public void The_short_form_is_one_app_named_default_that_serves_every_request()
    {
        var config = Fixture.LoadValid($$"""{ "workers": 3, {{Server}}, "restart": { "delay": "1s" } }""");

        var app = config.Apps.Single();
        Assert.That((app.Name, app.Workers.Count, app.Restart.Delay, app.IsCatchAll, config.IsShortForm), Is.EqualTo(("default", 3, TimeSpan.FromSeconds(1), true, true)));
        Assert.That(app.Worker.Command, Is.EqualTo(Fixture.ServerPath));
    }

    [Test]
    public void Apps_are_read_in_the_files_order_with_their_routes_and_their_own_keys()
    {
        var config = Fixture.LoadValid($$"""
            {
              "apps": {
                "shop": { "hosts": ["shop.example.com", "*.Shop.Example.com"], "workers": 2, {{Server}} },
                "api": { "hosts": ["api.example.com"], "paths": ["/v1", "/v2/beta"], "stripPath": true, "proxy": { "loadBalancing": "leastRequests" }, "workers": 1, "worker": { "command": "server", "stopTimeout": "3s" } },
                "site": { {{Server}}, "restart": { "delay": "2s" } }
              }
            }
            """);

        Assert.That(config.Apps.Select(a => a.Name), Is.EqualTo(new[] { "shop", "api", "site" }));
        Assert.That(config.IsShortForm, Is.False);
        var (shop, api, site) = (config.App("shop")!, config.App("api")!, config.App("site")!);
        Assert.That(shop.Hosts, Is.EqualTo(new[] { "shop.example.com", "*.Shop.Example.com" }));
        Assert.That((api.Paths, api.StripPath, api.Proxy.LoadBalancing, api.Worker.StopTimeout), Is.EqualTo((new[] { "/v1", "/v2/beta" }, true, (LoadBalancingPolicy?)LoadBalancingPolicy.LeastRequests, TimeSpan.FromSeconds(3))));
        Assert.That((site.IsCatchAll, site.Restart.Delay, site.Workers.Count), Is.EqualTo((true, TimeSpan.FromSeconds(2), 6)), "defaults as at the top: workers auto is one per CPU");
        Assert.That(shop.Restart.Delay, Is.EqualTo(TimeSpan.FromMilliseconds(100)), "each app has its own restart section, with its defaults");
        Assert.That(config.LongestStopTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void One_app_named_default_without_routes_is_the_short_form_written_the_other_way()
    {
        var apps = Fixture.LoadValid($$"""{ "apps": { "default": { "workers": 2, {{Server}} } } }""");
        var shortForm = Fixture.LoadValid($$"""{ "workers": 2, {{Server}} }""");

        Assert.That(apps.IsShortForm, Is.True);
        Assert.That(ConfigChanges.Between(shortForm, apps).Any, Is.False);
        Assert.That(ConfigDocuments.Effective(apps).ToJsonString(), Is.EqualTo(ConfigDocuments.Effective(shortForm).ToJsonString()));
    }

    [TestCase("workers", "2")]
    [TestCase("worker", "{ \"command\": \"server\" }")]
    [TestCase("restart", "{}")]
    [TestCase("reload", "{ \"confirmAfter\": \"0s\" }")]
    public void The_short_form_and_apps_cannot_be_mixed(string key, string value)
    {
        Assert.That(
            Fixture.OnlyError($$"""{ "{{key}}": {{value}}, "apps": { "shop": { {{Server}} } } }"""),
            Is.EqualTo($"$.{key}: the short form (\"workers\", \"worker\", \"restart\", \"health\", \"recycle\", \"reload\", \"queue\" at the top) describes one app, and \"apps\" ($.apps) describes every app: they cannot be mixed; move \"{key}\" into each app that needs it (apps.NAME.{key})"));
    }

    [Test]
    public void The_workers_flag_with_apps_is_an_error_too()
    {
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "shop": { {{Server}} } } }""", new ConfigOverrides { Workers = "4" }),
            Does.StartWith("--workers: the short form"));
    }

    [TestCase("Shop")]
    [TestCase("-shop")]
    [TestCase("shop_1")]
    [TestCase("a-name-of-thirty-three-characters")]
    [TestCase("")]
    public void An_invalid_app_name_is_refused(string name)
    {
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "{{name}}": { {{Server}} } } }"""),
            Is.EqualTo($"$.apps.{name}: an app's name is lower-case letters, digits and '-', starting with a letter or digit, at most 32 characters (it names the app in status, metrics and logs, and in APP_NAME); got \"{name}\""));
    }

    [Test]
    public void A_name_of_32_characters_is_allowed() =>
        Assert.That(Fixture.LoadValid($$"""{ "apps": { "{{new string('a', 32)}}": { {{Server}} } } }""").Apps.Single().Name, Has.Length.EqualTo(32));

    [Test]
    public void No_app_at_all_is_refused() =>
        Assert.That(Fixture.OnlyError("""{ "apps": {} }"""), Does.StartWith("$.apps: expected an object of apps by name"));

    [Test]
    public void Every_app_needs_its_worker_command() =>
        Assert.That(Fixture.OnlyError("""{ "apps": { "shop": { "workers": 2 } } }"""), Does.StartWith("$.apps.shop.worker.command: required"));

    [Test]
    public void A_second_app_without_routes_is_refused_naming_both()
    {
        var error = Fixture.Load($$"""{ "apps": { "site": { {{Server}} }, "shop": { "hosts": ["shop.example.com"], {{Server}} }, "blog": { {{Server}} } } }""").Errors.Single();

        Assert.That(error.ToString(), Is.EqualTo("$.apps.blog: apps.site already serves every request no other app matches (it has neither \"hosts\" nor \"paths\"); there is one such app at most: give apps.blog \"hosts\" or \"paths\""));
        Assert.That(error.Kind, Is.EqualTo(ConfigErrorKind.Relation));
    }

    [Test]
    public void Two_apps_with_the_same_host_are_refused_naming_both_and_the_key()
    {
        var error = Fixture.Load($$"""{ "apps": { "shop": { "hosts": ["shop.example.com"], {{Server}} }, "store": { "hosts": ["store.example.com", "SHOP.example.com"], {{Server}} } } }""").Errors.Single();

        Assert.That(error.ToString(), Is.EqualTo("$.apps.store.hosts[1]: apps.shop has the same route (host SHOP.example.com any path): a request can reach one app only; give one of them another host or path"));
        Assert.That(error.Kind, Is.EqualTo(ConfigErrorKind.Relation));
    }

    [Test]
    public void Two_apps_with_the_same_path_on_any_host_are_refused() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "api": { "paths": ["/api"], {{Server}} }, "api2": { "paths": ["/v2", "/API"], {{Server}} } } }"""),
            Is.EqualTo("$.apps.api2.paths[1]: apps.api has the same route (any host path /API): a request can reach one app only; give one of them another host or path"));

    [Test]
    public void The_same_host_with_different_paths_or_a_path_below_another_is_allowed()
    {
        var config = Fixture.LoadValid($$"""
            { "apps": {
                "shop": { "hosts": ["shop.example.com"], {{Server}} },
                "shop-api": { "hosts": ["shop.example.com"], "paths": ["/api"], {{Server}} },
                "shop-api-v2": { "hosts": ["shop.example.com"], "paths": ["/api/v2"], {{Server}} },
                "any": { {{Server}} } } }
            """);

        Assert.That(config.Apps, Has.Count.EqualTo(4));
    }

    [TestCase("shop.example.com:8080")]
    [TestCase("http://shop.example.com")]
    [TestCase("shop..example.com")]
    [TestCase("*shop.example.com")]
    [TestCase("shop.*.com")]
    [TestCase("")]
    public void A_host_that_is_not_a_name_is_refused(string host) =>
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "shop": { "hosts": ["{{host}}"], {{Server}} } } }"""),
            Is.EqualTo($"$.apps.shop.hosts[0]: expected a host name such as \"shop.example.com\", or \"*.\" and a name for every subdomain of it (\"*.shop.example.com\"); without a port, as the port a request came to is not compared; got \"{host}\""));

    [TestCase("api", "")]
    [TestCase("/api/", " (write \"/api\")")]
    [TestCase("/", " (omit \"paths\" for every path)")]
    [TestCase("/api//v1", "")]
    [TestCase("/api/{id}", "")]
    [TestCase("/api/*", "")]
    [TestCase("/api/../admin", "")]
    [TestCase("/api?x=1", "")]
    public void A_path_that_is_not_a_prefix_of_whole_segments_is_refused(string path, string hint) =>
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "api": { "paths": ["{{path}}"], {{Server}} } } }"""),
            Is.EqualTo($"$.apps.api.paths[0]: expected a path prefix such as \"/api\" or \"/api/v2\": segments of letters, digits and -._~!$&'()+,;=:@, each after a \"/\", none empty and no \"/\" at the end (\"/api\" matches /api and /api/..., never /apix); got \"{path}\"{hint}"));

    [Test]
    public void Strip_path_needs_paths() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "api": { "hosts": ["api.example.com"], "stripPath": true, {{Server}} } } }"""),
            Is.EqualTo("$.apps.api.stripPath: \"stripPath\" takes off the path prefix a request matched, and the app has no \"paths\""));

    [Test]
    public void An_app_on_its_own_listener_takes_no_routes() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "admin": { "listen": "http://127.0.0.1:9000", "hosts": ["admin.example.com"], {{Server}} } } }"""),
            Is.EqualTo("$.apps.admin.hosts: an app with a \"listen\" of its own ($.apps.admin.listen) is served there alone and takes no part in host and path routing; remove \"hosts\", or \"listen\" to route it through the front end at the top"));

    [Test]
    public void An_apps_front_end_needs_its_own_listener() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "admin": { "frontEnd": "sharedSocket", {{Server}} } } }"""),
            Is.EqualTo("$.apps.admin.frontEnd: an app's \"frontEnd\" is the front end of its own \"listen\", and it has none: add \"listen\", or remove \"frontEnd\" (the front end at the top then serves it)"));

    [Test]
    public void An_apps_own_listener_is_http() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "admin": { "listen": "https://127.0.0.1:9443", {{Server}} } } }"""),
            Does.StartWith("$.apps.admin.listen: https://127.0.0.1:9443: an app's own listeners are http://"));

    [Test]
    public void An_apps_own_listener_needs_a_port_no_other_listener_has() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "listen": "http://127.0.0.1:8080", "apps": { "web": { {{Server}} }, "admin": { "listen": "http://0.0.0.0:8080", {{Server}} } } }"""),
            Is.EqualTo("$.apps.admin.listen: port 8080 is already used by http://127.0.0.1:8080 (listen); each app's own listener needs a port of its own"));

    [Test]
    public void An_app_with_its_own_shared_socket_may_use_fd_and_accepting_while_the_others_may_not()
    {
        var config = Fixture.LoadValid($$"""
            { "apps": {
                "web": { {{Server}}, "recycle": { "maxRequests": 1000 } },
                "raw": { "listen": "http://127.0.0.1:9000", "frontEnd": "sharedSocket", "worker": { "command": "server", "args": ["--fd", "{fd}"], "readiness": { "accepting": true } } } } }
            """);
        Assert.That(config.App("raw")!.FrontEnd, Is.EqualTo(FrontEndMode.SharedSocket));

        var errors = Fixture.Load($$"""
            { "apps": {
                "web": { "worker": { "command": "server", "args": ["--fd", "{fd}"] } },
                "raw": { "listen": "http://127.0.0.1:9000", "frontEnd": "sharedSocket", {{Server}}, "recycle": { "maxRequests": 1000 }, "proxy": { "loadBalancing": "leastRequests" } } } }
            """).Errors.Select(e => e.ToString()).ToList();
        Assert.That(errors, Is.EqualTo(new[]
        {
            "$.apps.web.worker.args[1]: {fd} is the shared listening socket's file descriptor, given only with \"frontEnd\": \"sharedSocket\"",
            "$.apps.raw.recycle.maxRequests: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.apps.raw.frontEnd): the workers accept connections themselves, so no front end sees the requests to count; recycle by memory (recycle.maxMemoryMb) instead; remove one of the two",
            "$.apps.raw.proxy.loadBalancing: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.apps.raw.frontEnd): the workers accept connections themselves, so no front end sees the requests to balance; remove one of the two",
        }));
    }

    [Test]
    public void A_shared_socket_for_the_whole_machine_serves_one_app_and_says_why()
    {
        Assert.That(
            Fixture.OnlyError($$"""{ "frontEnd": "sharedSocket", "apps": { "shop": { "hosts": ["shop.example.com"], {{Server}} }, "site": { {{Server}} } } }"""),
            Is.EqualTo("$.frontEnd: a shared socket for the whole machine serves one app: the kernel hands each connection to whichever worker accepts it, so it cannot route by host or path, and there are 2 apps (shop, site); use the proxy front end at the top, and give an app that should have a shared socket a \"listen\" of its own with \"frontEnd\": \"sharedSocket\""));
        Assert.That(Fixture.LoadValid($$"""{ "frontEnd": "sharedSocket", "apps": { "site": { "worker": { "command": "server", "args": ["--fd", "{fd}"] } } } }""").Apps.Single().Name, Is.EqualTo("site"));
    }

    [Test]
    public void Lifecycle_rules_hold_for_each_app_and_name_its_keys() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "shop": { {{Server}}, "restart": { "delay": "5s", "maxDelay": "1s" } } } }"""),
            Is.EqualTo("$.apps.shop.restart.maxDelay: restart.maxDelay (1s) must not be shorter than restart.delay (5s)"));

    [Test]
    public void Changes_are_named_app_by_app_with_added_and_removed_apps()
    {
        var running = Fixture.LoadValid($$"""{ "apps": { "shop": { "hosts": ["shop.example.com"], "workers": 2, {{Server}} }, "old": { "hosts": ["old.example.com"], {{Server}} } } }""");
        var loaded = Fixture.LoadValid($$"""{ "apps": { "shop": { "hosts": ["shop.example.com", "www.shop.example.com"], "workers": 3, "worker": { "command": "server", "args": ["v2"] } }, "blog": { "hosts": ["blog.example.com"], {{Server}} } } }""");

        var changes = ConfigChanges.Between(running, loaded);

        Assert.That(changes.Applied, Is.EqualTo(new[]
        {
            "apps.shop.hosts shop.example.com -> shop.example.com, www.shop.example.com",
            "apps.shop.workers 2 -> 3",
            "apps.shop.worker.args  -> v2 (rolling reload)",
            "apps.blog (added)",
            "apps.old (removed)",
        }));
        Assert.That((changes.Of("shop").WorkerCountChanged, changes.Of("shop").WorkerProgramChanged, changes.Of("blog").Any), Is.EqualTo((true, true, false)));
    }

    [Test]
    public void Going_from_the_short_form_to_apps_compares_the_default_app_by_name()
    {
        var running = Fixture.LoadValid($$"""{ "workers": 2, {{Server}} }""");
        var loaded = Fixture.LoadValid($$"""{ "apps": { "default": { "workers": 2, {{Server}} }, "blog": { "hosts": ["blog.example.com"], {{Server}} } } }""");

        Assert.That(ConfigChanges.Between(running, loaded).Applied, Is.EqualTo(new[] { "apps.blog (added)" }));
        Assert.That(ConfigChanges.Between(running, loaded).Of("default").Any, Is.False);
    }

    [Test]
    public void An_app_with_its_own_listener_comes_and_goes_only_with_a_restart_and_keeps_its_protocol()
    {
        var running = Fixture.LoadValid($$"""{ "apps": { "web": { {{Server}} }, "admin": { "listen": "http://127.0.0.1:9000", {{Server}} } } }""");
        var loaded = Fixture.LoadValid($$"""{ "apps": { "web": { "worker": { "command": "server", "protocol": "http2" } }, "extra": { "listen": "http://127.0.0.1:9001", {{Server}} } } }""");

        var changes = ConfigChanges.Between(running, loaded);
        var kept = ConfigChanges.KeepRestartOnly(running, loaded);

        Assert.That(changes.NeedRestart, Is.EqualTo(new[] { "apps.web.worker.protocol http1 -> http2", "apps.extra (added)", "apps.admin (removed)" }));
        Assert.That(kept.Apps.Select(a => a.Name), Is.EqualTo(new[] { "web", "admin" }));
        Assert.That(kept.App("web")!.Worker.Protocol, Is.EqualTo(WorkerProtocol.Http1));
    }

    [Test]
    public void Config_show_writes_apps_in_the_files_spelling()
    {
        var config = Fixture.LoadValid($$"""{ "apps": { "api": { "hosts": ["api.example.com"], "paths": ["/v1"], {{Server}} } } }""");

        var shown = ConfigDocuments.Effective(config);

        Assert.That(shown.ContainsKey("worker"), Is.False);
        Assert.That(shown["apps"]!["api"]!["hosts"]!.ToJsonString(), Is.EqualTo("[\"api.example.com\"]"));
        Assert.That((string?)shown["apps"]!["api"]!["worker"]!["command"], Is.EqualTo(Fixture.ServerPath));
    }
    [Test]
    public void An_app_may_have_a_rate_limit_of_its_own_and_the_others_have_the_machines()
    {
        var config = Fixture.LoadValid($$"""
            {
              "rateLimit": { "requests": 600 },
              "apps": {
                "shop": { "hosts": ["shop.example.com"], "rateLimit": { "requests": 5, "window": "1h" }, {{Server}} },
                "blog": { "hosts": ["blog.example.com"], "rateLimit": null, {{Server}} },
                "site": { {{Server}} }
              }
            }
            """);

        Assert.That(config.App("shop")!.RateLimit, Is.EqualTo(new RateLimitConfig { Requests = 5, Window = TimeSpan.FromHours(1) }));
        Assert.That(config.App("blog")!.RateLimit, Is.Null, "null: the top-level rateLimit applies");
        Assert.That(config.App("site")!.RateLimit, Is.Null);
        Assert.That(config.RateLimit, Is.EqualTo(new RateLimitConfig { Requests = 600, Window = TimeSpan.FromMinutes(1) }));
        Assert.That(ConfigDocuments.Effective(config)["apps"]!["shop"]!["rateLimit"]!.ToJsonString(), Is.EqualTo("""{"requests":5,"window":"1h"}"""));
    }

    [Test]
    public void An_apps_rate_limit_is_read_as_the_top_level_one_with_its_errors_at_its_path()
    {
        var errors = Fixture.Load($$"""{ "apps": { "shop": { "rateLimit": { "requests": 0, "window": "1ms", "burst": 3 }, {{Server}} } } }""").Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Has.Count.EqualTo(3));
        Assert.That(errors, Has.One.StartsWith("$.apps.shop.rateLimit.requests: "));
        Assert.That(errors, Has.One.StartsWith("$.apps.shop.rateLimit.window: "));
        Assert.That(errors, Has.One.StartsWith("$.apps.shop.rateLimit.burst: unknown key"));
    }

    [Test]
    public void An_app_with_its_own_shared_socket_cannot_have_a_rate_limit() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "apps": { "web": { {{Server}} }, "raw": { "listen": "http://127.0.0.1:9000", "frontEnd": "sharedSocket", "worker": { "command": "server", "args": ["--fd", "{fd}"] }, "rateLimit": { "requests": 5 } } } }"""),
            Is.EqualTo("$.apps.raw.rateLimit: cannot be combined with \"frontEnd\": \"sharedSocket\" ($.apps.raw.frontEnd): the workers accept connections themselves, so no front end sees the requests to count; remove one of the two"));

    [Test]
    public void An_apps_rate_limit_and_the_top_level_one_apply_live_and_the_app_no_longer_fits_the_short_form()
    {
        var running = Fixture.LoadValid($$"""{ "apps": { "default": { {{Server}} } } }""");
        var loaded = Fixture.LoadValid($$"""{ "rateLimit": { "requests": 50 }, "apps": { "default": { {{Server}}, "rateLimit": { "requests": 5 } } } }""");

        var changes = ConfigChanges.Between(running, loaded);

        Assert.That(loaded.IsShortForm, Is.False, "the short form has no place for an app's own rateLimit");
        Assert.That(changes.NeedRestart, Is.Empty);
        Assert.That(changes.Applied, Is.EquivalentTo(new[] { "rateLimit (added)", "apps.default.rateLimit (added)" }));
        Assert.That(ConfigChanges.KeepRestartOnly(running, loaded).App("default")!.RateLimit!.Requests, Is.EqualTo(5));
    }

    [TestCase("logs/worker-{id}.log", "worker-{id}.log")]
    [TestCase("logs/", "worker-{id}.log")]
    public void With_several_apps_worker_files_without_app_are_refused_with_what_to_add(string workerFiles, string file) =>
        Assert.That(
            Fixture.OnlyError($$"""{ "log": { "workerFiles": "{{workerFiles}}" }, "apps": { "shop": { "hosts": ["shop.example.com"], {{Server}} }, "site": { {{Server}} } } }"""),
            Is.EqualTo($"$.log.workerFiles: with several apps (shop, site) each numbers its workers from 0, so the workers of the same id of two apps would write the same file ({file}): add {{app}} to the file name, e.g. \"logs/{{app}}-worker-{{id}}.log\""));

    [Test]
    public void Worker_files_with_app_in_the_file_name_serve_several_apps_and_one_app_needs_no_app()
    {
        var config = Fixture.LoadValid($$"""{ "log": { "workerFiles": "logs/{app}-worker-{id}.log" }, "apps": { "shop": { "hosts": ["shop.example.com"], {{Server}} }, "site": { {{Server}} } } }""");
        Assert.That(Path.GetFileName(config.Log.WorkerFiles), Is.EqualTo("{app}-worker-{id}.log"));
        Assert.That(Fixture.LoadValid($$"""{ "log": { "workerFiles": "logs/" }, "apps": { "shop": { {{Server}} } } }""").Log.WorkerFiles, Does.EndWith("/worker-{id}.log"));
        Assert.That(Fixture.OnlyError($$"""{ "log": { "workerFiles": "logs/{app}/worker-{id}.log" }, {{Server}} }"""), Does.StartWith("$.log.workerFiles: expected ").And.Contain("({id} and {app} in the file name only, not in a folder)"));
    }
}
