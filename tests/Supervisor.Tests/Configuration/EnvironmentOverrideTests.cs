using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>SUPERVISOR_* environment variables: one naming rule, flags over environment over file.</summary>
public sealed class EnvironmentOverrideTests : ConfigTestBase
{
    private const string File = """{ "workers": 2, "listen": "http://127.0.0.1:8080", "worker": { "command": "server" }, "restart": { "delay": "1s" } }""";

    [Test]
    public void The_environment_overrides_the_file()
    {
        var config = Load(File, new() { ["SUPERVISOR_WORKERS"] = "4", ["SUPERVISOR_LISTEN"] = "http://0.0.0.0:9000" }).Config!;

        Assert.That(config.DefaultApp().Workers, Is.EqualTo(new WorkerCount(4, IsAuto: false)));
        Assert.That(config.ListenDescription, Is.EqualTo("http://0.0.0.0:9000"));
    }

    [Test]
    public void Flags_override_the_environment()
    {
        var config = Load(File, new() { ["SUPERVISOR_WORKERS"] = "4", ["SUPERVISOR_LISTEN"] = "http://0.0.0.0:9000" }, new ConfigOverrides { Workers = "3" }).Config!;

        Assert.That(config.DefaultApp().Workers.Count, Is.EqualTo(3), "the flag");
        Assert.That(config.ListenDescription, Is.EqualTo("http://0.0.0.0:9000"), "the environment, where no flag was given");
    }

    [Test]
    public void Nested_keys_use_a_double_underscore_and_any_case_and_need_no_section_in_the_file()
    {
        var config = Load(File, new()
        {
            ["SUPERVISOR_RESTART__MAXDELAY"] = "1m",
            ["SUPERVISOR_restart__Delay"] = "2s",
            ["SUPERVISOR_WORKER__READINESS__PATH"] = "/healthz",
            ["SUPERVISOR_LOG__LEVEL"] = "debug",
            ["SUPERVISOR_PROXY__RETRY"] = "false",
            ["SUPERVISOR_RATELIMIT__REQUESTS"] = "50",
        }).Config!;

        Assert.That(config.DefaultApp().Restart.MaxDelay, Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(config.DefaultApp().Restart.Delay, Is.EqualTo(TimeSpan.FromSeconds(2)), "the environment replaced the file's value");
        Assert.That(config.DefaultApp().Worker.Readiness.HttpPath, Is.EqualTo("/healthz"));
        Assert.That(config.Log.Level, Is.EqualTo(LogLevelSetting.Debug));
        Assert.That(config.Proxy.Retry, Is.False);
        Assert.That(config.RateLimit, Is.EqualTo(new RateLimitConfig { Requests = 50, Window = TimeSpan.FromMinutes(1) }));
    }

    [Test]
    public void Arrays_and_objects_are_given_as_JSON()
    {
        var config = Load(File, new()
        {
            ["SUPERVISOR_WORKER__ARGS"] = """["app.dll", "--port", "{port}"]""",
            ["SUPERVISOR_WORKER__ENV"] = """{ "MODE": "production" }""",
        }).Config!;

        Assert.That(config.DefaultApp().Worker.Args, Is.EqualTo(new[] { "app.dll", "--port", "{port}" }));
        Assert.That(config.DefaultApp().Worker.Env, Is.EquivalentTo(new Dictionary<string, string> { ["MODE"] = "production" }));
    }

    [Test]
    public void A_bad_value_is_reported_under_the_variables_name()
    {
        var result = Load(File, new() { ["SUPERVISOR_WORKERS"] = "lots", ["SUPERVISOR_RESTART__DELAY"] = "soon" });

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EquivalentTo(new[]
        {
            "SUPERVISOR_WORKERS: expected \"auto\" or an integer from 1 to 1024, got a string (\"lots\")",
            result.Errors.Single(e => e.Path == "SUPERVISOR_RESTART__DELAY").ToString(),
        }));
        Assert.That(result.Errors.Single(e => e.Path == "SUPERVISOR_RESTART__DELAY").Message, Does.Contain("\"soon\""));
    }

    [Test]
    public void An_unknown_variable_is_a_warning_with_a_suggestion_not_an_error()
    {
        var result = Load(File, new() { ["SUPERVISOR_WORKRES"] = "4", ["SUPERVISOR_WORKER__ENV__MODE"] = "x" });

        Assert.That(result.IsValid, Is.True);
        Assert.That(result.Config!.DefaultApp().Workers.Count, Is.EqualTo(2));
        Assert.That(result.Warnings, Is.EquivalentTo(new[]
        {
            "environment variable SUPERVISOR_WORKER__ENV__MODE is not a setting and is ignored: worker.env is set as a whole, as a JSON object (SUPERVISOR_WORKER__ENV='{\"NAME\":\"value\"}')",
            "environment variable SUPERVISOR_WORKRES is not a setting and is ignored (did you mean SUPERVISOR_WORKERS?)",
        }));
    }

    [Test]
    public void The_worker_contracts_variable_and_supervisords_are_not_settings_and_not_warned_about()
    {
        var result = Load(File, new()
        {
            ["SUPERVISOR_PID"] = "1",
            ["SUPERVISOR_ENABLED"] = "1",
            ["SUPERVISOR_PROCESS_NAME"] = "web",
            ["SUPERVISOR_GROUP_NAME"] = "web",
            ["SUPERVISOR_SERVER_URL"] = "unix:///var/run/supervisor.sock",
        });

        Assert.That(result.IsValid, Is.True);
        Assert.That(result.Warnings, Is.Empty);
    }

    [Test]
    public void The_name_of_a_key_follows_the_rule() =>
        Assert.That(EnvironmentOverrides.NameOf("loadBalancerHealth.drainDelay"), Is.EqualTo("SUPERVISOR_LOADBALANCERHEALTH__DRAINDELAY"));

    private ConfigLoadResult Load(string json, Dictionary<string, string> variables, ConfigOverrides? overrides = null) =>
        ConfigLoader.Parse(json, Fixture.ConfigPath, overrides ?? ConfigOverrides.None, Fixture.Environment with { Variables = variables });
}
