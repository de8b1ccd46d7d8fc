using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>Every validation error names where it is and what is allowed; the exact text is what operators read.</summary>
public sealed class ConfigErrorTests : ConfigTestBase
{
    private const string Worker = "\"worker\": { \"command\": \"server\" }";
    [Test]
    public void Invalid_JSON_is_reported_with_line_and_column()
    {
        var error = Fixture.OnlyError("{\n  \"workers\": 2\n  \"listen\": \"http://127.0.0.1:8080\"\n}");

        Assert.That(error, Is.EqualTo($"{Fixture.ConfigPath}: invalid JSON at line 3, column 3: '\"' is invalid after a value. Expected either ',', '}}', or ']'."));
    }

    [Test]
    public void A_missing_file_says_so_and_how_to_name_another()
    {
        var missing = Path.Combine(Fixture.Folder, "nope.json");

        var result = ConfigLoader.Load(missing, ConfigOverrides.None, Fixture.Environment);

        Assert.That(result.Errors.Single().ToString(), Is.EqualTo($"{missing}: file not found (use --config to name another file)"));
    }

    [Test]
    public void The_root_must_be_an_object() =>
        Assert.That(Fixture.OnlyError("[1, 2]"), Is.EqualTo("$: expected an object, got an array"));

    [Test]
    public void An_unknown_key_is_an_error_with_a_suggestion_and_the_allowed_keys() =>
        Assert.That(
            Fixture.Load("""{ "worker": { "comand": "server" } }""").Errors.Select(e => e.ToString()),
            Is.EqualTo(new[]
            {
                "$.worker.comand: unknown key (did you mean \"command\"?); allowed keys here: command, args, env, cwd, user, group, protocol, cpuAffinity, readiness, stopSignal, stopTimeout, killProcessGroup, drainTimeout, maxConcurrency",
                "$.worker.command: required: the program to run for each worker, e.g. \"dotnet\", \"python3\" or \"./bin/server\"",
            }));

    [Test]
    public void An_unknown_top_level_key_is_an_error() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "instances": 4, {{Worker}} }"""),
            Is.EqualTo("$.instances: unknown key; allowed keys here: $schema, workers, listen, frontEnd, tls, redirectHttpToHttps, hsts, shutdownTimeout, pidFile, control, worker, restart, health, recycle, reload, queue, maxWorkers, apps, proxy, limits, rateLimit, accessLog, loadBalancerHealth, metrics, log"));

    [Test]
    public void A_duplicate_key_is_an_error() =>
        Assert.That(Fixture.OnlyError($$"""{ "workers": 2, "workers": 3, {{Worker}} }"""), Is.EqualTo("$.workers: duplicate key"));

    [TestCase("true", "true")]
    [TestCase("null", "null")]
    public void Workers_neither_a_number_nor_a_string_must_be_one_or_a_range(string value, string got) =>
        Assert.That(Fixture.OnlyError($$"""{ "workers": {{value}}, {{Worker}} }"""), Is.EqualTo($"$.workers: expected \"auto\", an integer from 1 to 1024, or a range such as {{\"min\": 1, \"max\": \"auto\", \"spare\": 1, \"idleTimeout\": \"30s\"}}, got {got}"));

    [TestCase("0", "a number (0)")]
    [TestCase("1025", "a number (1025)")]
    [TestCase("-1", "a number (-1)")]
    [TestCase("2.5", "a number (2.5)")]
    [TestCase("\"max\"", "a string (\"max\")")]
    public void Workers_must_be_auto_or_an_integer_from_1_to_1024(string value, string got) =>
        Assert.That(
            Fixture.OnlyError($$"""{ "workers": {{value}}, {{Worker}} }"""),
            Is.EqualTo($"$.workers: expected \"auto\" or an integer from 1 to 1024, got {got}"));

    [Test]
    public void A_quoted_worker_count_gets_a_hint() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "workers": "4", {{Worker}} }"""),
            Is.EqualTo("$.workers: expected \"auto\" or an integer from 1 to 1024, got a string (\"4\"); write the number without quotes"));

    [TestCase("localhost:8080", "not a URL")]
    [TestCase("ftp://0.0.0.0:21", "unsupported scheme \"ftp\"")]
    [TestCase("http://0.0.0.0:99999", "port \"99999\" is not a number from 1 to 65535")]
    [TestCase("http://0.0.0.0:0", "port \"0\" is not a number from 1 to 65535")]
    [TestCase("http://0.0.0.0:80/api", "a path (\"/api\") is not allowed")]
    [TestCase("http://example.com:80", "host \"example.com\" is not an IP address, \"localhost\" or \"*\" (IPv6 addresses go in brackets: [::1])")]
    [TestCase("http://:80", "the host is missing")]
    public void Listen_must_be_a_parseable_http_url(string url, string problem) =>
        Assert.That(
            Fixture.OnlyError($$"""{ "listen": "{{url}}", {{Worker}} }"""),
            Is.EqualTo($"$.listen: expected a URL such as \"http://0.0.0.0:80\" or \"https://0.0.0.0:443\": scheme http or https, host an IP address, \"localhost\" or \"*\", port 1-65535, no path; got \"{url}\": {problem}"));

    [Test]
    public void Listen_must_be_a_string() =>
        Assert.That(Fixture.OnlyError($$"""{ "listen": 8080, {{Worker}} }"""), Does.StartWith("$.listen: expected a URL such as").And.EndWith("got a number (8080)"));

    [Test]
    public void The_worker_command_is_required() =>
        Assert.That(
            Fixture.OnlyError("""{ "workers": 2 }"""),
            Is.EqualTo("$.worker.command: required: the program to run for each worker, e.g. \"dotnet\", \"python3\" or \"./bin/server\""));

    [Test]
    public void An_empty_worker_command_is_as_good_as_missing() =>
        Assert.That(Fixture.OnlyError("""{ "worker": { "command": " " } }"""), Does.StartWith("$.worker.command: required"));

    [Test]
    public void A_command_that_is_not_on_PATH_is_an_error_naming_the_search_path() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "pythn3" } }"""),
            Is.EqualTo($"$.worker.command: \"pythn3\" was not found on PATH ({Fixture.BinFolder}); give a full path or fix PATH"));

    [Test]
    public void A_command_path_that_does_not_exist_is_an_error() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "./bin/missing" } }"""),
            Is.EqualTo($"$.worker.command: \"{Path.Combine(Fixture.BinFolder, "missing")}\" does not exist"));

    [Test]
    public void A_command_that_is_not_executable_is_an_error()
    {
        File.SetUnixFileMode(Fixture.ServerPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "./bin/server" } }"""),
            Is.EqualTo($"$.worker.command: \"{Fixture.ServerPath}\" is not executable (chmod +x?)"));
    }

    [Test]
    public void A_command_that_is_a_directory_is_an_error() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "./bin" } }"""),
            Is.EqualTo($"$.worker.command: \"{Fixture.BinFolder}\" is a directory, not a program"));

    [Test]
    public void The_worker_command_must_be_a_string() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": ["python3"] } }"""),
            Is.EqualTo("$.worker.command: expected a string: the program to run, e.g. \"dotnet\", \"python3\" or \"./bin/server\", got an array"));

    [Test]
    public void Args_must_be_an_array_of_strings_and_each_bad_item_is_named()
    {
        var result = Fixture.Load("""{ "worker": { "command": "server", "args": ["--port", 8080, true] } }""");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "$.worker.args[1]: expected a string, got a number (8080); write it in quotes: \"8080\"",
            "$.worker.args[2]: expected a string, got true; write it in quotes: \"true\"",
        }));
    }

    [Test]
    public void Args_given_as_one_string_is_an_error() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "server", "args": "--port {port}" } }"""),
            Is.EqualTo("$.worker.args: expected an array of strings, e.g. [\"app.dll\", \"--port\", \"{port}\"], got a string (\"--port {port}\")"));

    [Test]
    public void Env_values_must_be_strings() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "server", "env": { "THREADS": 4 } } }"""),
            Is.EqualTo("$.worker.env.THREADS: expected a string, got a number (4); write it in quotes: \"4\""));

    [Test]
    public void Env_names_may_not_contain_equals() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "server", "env": { "A=B": "x" } } }"""),
            Is.EqualTo("$.worker.env.A=B: an environment variable name must be non-empty and contain no '=' or NUL"));

    [Test]
    public void A_cwd_that_does_not_exist_is_an_error() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "server", "cwd": "nowhere" } }"""),
            Is.EqualTo($"$.worker.cwd: folder \"{Path.Combine(Fixture.Folder, "nowhere")}\" does not exist"));

    [TestCase("\"10\"", "got a string (\"10\")")]
    [TestCase("10", "got a number (10)")]
    [TestCase("\"10 seconds\"", "got a string (\"10 seconds\")")]
    public void Durations_need_a_unit(string value, string got) =>
        Assert.That(
            Fixture.OnlyError($$"""{ "worker": { "command": "server", "stopTimeout": {{value}} } }"""),
            Is.EqualTo($"$.worker.stopTimeout: expected a duration with a unit, such as \"500ms\", \"10s\", \"2m\" or \"1h\", from 0ms to 24h; {got}"));

    [Test]
    public void Durations_are_range_checked() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "server", "readiness": { "interval": "5ms" } } }"""),
            Is.EqualTo("$.worker.readiness.interval: expected a duration from 10ms to 1m, got \"5ms\""));

    [Test]
    public void A_readiness_path_must_start_with_a_slash() =>
        Assert.That(
            Fixture.OnlyError("""{ "worker": { "command": "server", "readiness": { "path": "healthz" } } }"""),
            Is.EqualTo("$.worker.readiness.path: expected an HTTP path starting with \"/\" and without spaces, e.g. \"/healthz\"; got \"healthz\""));

    [Test]
    public void A_log_level_must_be_one_of_the_documented_names() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "log": { "level": "verbos" }, {{Worker}} }"""),
            Is.EqualTo("$.log.level: expected one of \"verbose\", \"debug\", \"information\", \"warning\", \"error\", \"fatal\", got a string (\"verbos\") (did you mean \"verbose\"?)"));

    [Test]
    public void A_section_of_the_wrong_type_is_an_error() =>
        Assert.That(Fixture.OnlyError($$"""{ "restart": "always", {{Worker}} }"""), Is.EqualTo("$.restart: expected an object, got a string (\"always\")"));

    [Test]
    public void Every_error_is_reported_at_once_in_document_order()
    {
        var result = Fixture.Load("""{ "workers": 0, "listen": "nope", "worker": { "args": "x" }, "log": { "level": 1 } }""");

        Assert.That(result.Errors.Select(e => e.Path), Is.EqualTo(new[] { "$.workers", "$.listen", "$.worker.command", "$.worker.args", "$.log.level" }));
    }

    [Test]
    public void The_maximum_restart_delay_may_not_be_shorter_than_the_first() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "restart": { "delay": "5s", "maxDelay": "1s" }, {{Worker}} }"""),
            Is.EqualTo("$.restart.maxDelay: restart.maxDelay (1s) must not be shorter than restart.delay (5s)"));

    [Test]
    public void The_restart_multiplier_is_range_checked() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "restart": { "multiplier": 0.5 }, {{Worker}} }"""),
            Is.EqualTo("$.restart.multiplier: expected the factor by which each further restart delay grows: a number from 1 to 10, got a number (0.5)"));

    [Test]
    public void Max_restarts_must_be_a_positive_integer() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "restart": { "maxRestarts": 0 }, {{Worker}} }"""),
            Is.EqualTo("$.restart.maxRestarts: expected restarts within restart.window before giving up (omit it to never give up): an integer from 1 to 1000000, got a number (0)"));

    [Test]
    public void No_restart_exit_codes_must_be_integers_from_0_to_255() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "restart": { "noRestartExitCodes": [3, 300, "4"] }, {{Worker}} }""", expectedErrors: 2),
            Is.EqualTo("$.restart.noRestartExitCodes[1]: expected exit codes: an integer from 0 to 255, got a number (300)"));

    [Test]
    public void The_health_restart_threshold_may_not_be_below_the_unhealthy_threshold() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "health": { "path": "/healthz", "unhealthyThreshold": 3, "restartThreshold": 2 }, {{Worker}} }"""),
            Is.EqualTo("$.health.restartThreshold: health.restartThreshold (2) must not be smaller than health.unhealthyThreshold (3): a worker leaves rotation before it is restarted"));

    [Test]
    public void A_health_path_must_start_with_a_slash() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "health": { "path": "status" }, {{Worker}} }"""),
            Is.EqualTo("$.health.path: expected an HTTP path starting with \"/\" and without spaces, e.g. \"/healthz\"; got \"status\""));

    [Test]
    public void A_memory_limit_must_be_a_positive_integer() =>
        Assert.That(
            Fixture.OnlyError($$"""{ "recycle": { "maxMemoryMb": "512MB" }, {{Worker}} }"""),
            Is.EqualTo("$.recycle.maxMemoryMb: expected megabytes of resident memory (omit it for no limit): an integer from 1 to 1048576, got a string (\"512MB\")"));
}
