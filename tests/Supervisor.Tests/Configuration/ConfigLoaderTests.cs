using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Configuration;

public sealed class ConfigLoaderTests : ConfigTestBase
{
    [Test]
    public void A_minimal_config_gets_the_documented_defaults()
    {
        var config = Fixture.LoadValid("""{ "worker": { "command": "server" } }""");

        Assert.That(config.DefaultApp().Workers, Is.EqualTo(new WorkerCount(6, IsAuto: true)));
        Assert.That(config.Listeners.Select(l => l.Url), Is.EqualTo(new[] { "http://127.0.0.1:8080" }));
        Assert.That((config.Tls, config.RedirectHttpToHttps, config.Hsts, config.DefaultApp().Worker.Protocol), Is.EqualTo(((TlsConfig?)null, false, (HstsConfig?)null, WorkerProtocol.Http1)));
        Assert.That(config.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(config.DefaultApp().Worker.Command, Is.EqualTo(Fixture.ServerPath));
        Assert.That(config.DefaultApp().Worker.Args, Is.Empty);
        Assert.That(config.DefaultApp().Worker.Env, Is.Empty);
        Assert.That(config.DefaultApp().Worker.WorkingDirectory, Is.EqualTo(Fixture.Folder));
        Assert.That(config.DefaultApp().Worker.StopTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(config.DefaultApp().Worker.Readiness.HttpPath, Is.Null);
        Assert.That(config.DefaultApp().Worker.Readiness.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(config.DefaultApp().Worker.Readiness.Interval, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
        Assert.That(config.DefaultApp().Worker.DrainTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(config.DefaultApp().Restart, Is.EqualTo(config.DefaultApp().Restart with
        {
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(30),
            Multiplier = 2,
            Jitter = 0.2,
            ResetAfter = TimeSpan.FromSeconds(30),
            CrashLoopAfter = 5,
            MaxRestarts = null,
            Window = TimeSpan.FromMinutes(5),
        }));
        Assert.That(config.DefaultApp().Restart.NoRestartExitCodes, Is.Empty);
        Assert.That(config.DefaultApp().Health, Is.EqualTo(new HealthConfig { HttpPath = null, Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(2), UnhealthyThreshold = 2, RestartThreshold = 4 }));
        Assert.That(config.DefaultApp().Health.Enabled, Is.False);
        Assert.That(config.DefaultApp().Recycle, Is.EqualTo(new RecycleConfig { MaxMemoryMb = null, MaxRequests = null, MaxRequestsJitter = 0 }));
        Assert.That(config.DefaultApp().Recycle.Enabled, Is.False);
        Assert.That(config.PidFile, Does.StartWith(Path.Combine(Fixture.Folder, "run", "supervisor-")).And.EndWith(".pids.json"));
        Assert.That(config.Log.Level, Is.EqualTo(LogLevelSetting.Information));
        Assert.That(config.ConfigFile, Is.EqualTo(Fixture.ConfigPath));
    }

    [Test]
    public void The_lifecycle_sections_are_read()
    {
        var config = Fixture.LoadValid("""
            {
              "pidFile": "run/app.pids.json",
              "worker": { "command": "server", "drainTimeout": "5s" },
              "restart": {
                "delay": "1s", "maxDelay": "1m", "multiplier": 3, "jitter": 0.5, "resetAfter": "2m",
                "crashLoopAfter": 3, "maxRestarts": 10, "window": "10m", "noRestartExitCodes": [3, 4]
              },
              "health": { "path": "/healthz", "interval": "1s", "timeout": "500ms", "unhealthyThreshold": 1, "restartThreshold": 3 },
              "recycle": { "maxMemoryMb": 512, "maxRequests": 10000, "maxRequestsJitter": 500 }
            }
            """);

        Assert.That(config.PidFile, Is.EqualTo(Path.Combine(Fixture.Folder, "run", "app.pids.json")));
        Assert.That(config.DefaultApp().Worker.DrainTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(
            (config.DefaultApp().Restart.Delay, config.DefaultApp().Restart.MaxDelay, config.DefaultApp().Restart.Multiplier, config.DefaultApp().Restart.Jitter, config.DefaultApp().Restart.ResetAfter, config.DefaultApp().Restart.CrashLoopAfter, config.DefaultApp().Restart.MaxRestarts, config.DefaultApp().Restart.Window),
            Is.EqualTo((TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 3.0, 0.5, TimeSpan.FromMinutes(2), 3, (int?)10, TimeSpan.FromMinutes(10))));
        Assert.That(config.DefaultApp().Restart.NoRestartExitCodes, Is.EquivalentTo(new[] { 3, 4 }));
        Assert.That(config.DefaultApp().Health, Is.EqualTo(new HealthConfig { HttpPath = "/healthz", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMilliseconds(500), UnhealthyThreshold = 1, RestartThreshold = 3 }));
        Assert.That(config.DefaultApp().Recycle, Is.EqualTo(new RecycleConfig { MaxMemoryMb = 512, MaxRequests = 10000, MaxRequestsJitter = 500 }));
    }

    [Test]
    public void Two_config_files_get_two_default_pid_files()
    {
        var first = Fixture.LoadValid("""{ "worker": { "command": "server" } }""").PidFile;
        var second = ConfigLoader.Parse("""{ "worker": { "command": "server" } }""", Path.Combine(Fixture.Folder, "other", "supervisor.json"), ConfigOverrides.None, Fixture.Environment);

        Assert.That(second.Errors, Is.Empty);
        Assert.That(second.Config!.PidFile, Is.Not.EqualTo(first));
    }

    [Test]
    public void Every_key_is_read_and_comments_and_trailing_commas_are_allowed()
    {
        Directory.CreateDirectory(Path.Combine(Fixture.Folder, "app"));
        var config = Fixture.LoadValid("""
            {
              // the whole file, with comments
              "$schema": "./supervisor.schema.json",
              "workers": 3,
              "listen": "http://0.0.0.0:9000",
              "shutdownTimeout": "45s",
              "worker": {
                "command": "./bin/server", /* relative to this file */
                "args": ["--port", "{port}", "--id", "{id}",],
                "env": { "MODE": "production", "LOG": "w{id}.log", },
                "cwd": "app",
                "readiness": { "path": "/healthz", "timeout": "1m", "interval": "250ms" },
                "stopTimeout": "1.5s",
              },
              "restart": { "delay": "2s" },
              "log": { "level": "warn" },
            }
            """);

        Assert.That(config.DefaultApp().Workers, Is.EqualTo(new WorkerCount(3, IsAuto: false)));
        Assert.That(config.Listeners, Is.EqualTo(new[] { new ListenerConfig(new ListenAddress("http://0.0.0.0:9000", ListenHost.Address, System.Net.IPAddress.Any, 9000)) }));
        Assert.That(config.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(45)));
        Assert.That(config.DefaultApp().Worker.Command, Is.EqualTo(Fixture.ServerPath));
        Assert.That(config.DefaultApp().Worker.CommandAsWritten, Is.EqualTo("./bin/server"));
        Assert.That(config.DefaultApp().Worker.Args, Is.EqualTo(new[] { "--port", "{port}", "--id", "{id}" }));
        Assert.That(config.DefaultApp().Worker.Env, Is.EquivalentTo(new Dictionary<string, string> { ["MODE"] = "production", ["LOG"] = "w{id}.log" }));
        Assert.That(config.DefaultApp().Worker.WorkingDirectory, Is.EqualTo(Path.Combine(Fixture.Folder, "app")));
        Assert.That(config.DefaultApp().Worker.Readiness, Is.EqualTo(new ReadinessConfig { HttpPath = "/healthz", Timeout = TimeSpan.FromMinutes(1), Interval = TimeSpan.FromMilliseconds(250) }));
        Assert.That(config.DefaultApp().Worker.StopTimeout, Is.EqualTo(TimeSpan.FromSeconds(1.5)));
        Assert.That(config.DefaultApp().Restart.Delay, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(config.Log.Level, Is.EqualTo(LogLevelSetting.Warning));
    }

    [Test]
    public void Relative_paths_resolve_against_the_config_files_folder_not_the_current_directory()
    {
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = Path.GetTempPath();
        try
        {
            Directory.CreateDirectory(Path.Combine(Fixture.Folder, "work"));
            var config = Fixture.LoadValid("""{ "worker": { "command": "bin/server", "cwd": "work" } }""");

            Assert.That(config.DefaultApp().Worker.Command, Is.EqualTo(Fixture.ServerPath));
            Assert.That(config.DefaultApp().Worker.WorkingDirectory, Is.EqualTo(Path.Combine(Fixture.Folder, "work")));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Test]
    public void A_command_without_a_slash_is_found_on_PATH() =>
        Assert.That(Fixture.LoadValid("""{ "worker": { "command": "server" } }""").DefaultApp().Worker.Command, Is.EqualTo(Fixture.ServerPath));

    [TestCase("auto", 6)]
    [TestCase("1", 1)]
    [TestCase("1024", 1024)]
    public void Workers_accepts_auto_or_an_integer_from_1_to_1024(string value, int expected)
    {
        var json = value == "auto" ? "\"auto\"" : value;
        Assert.That(Fixture.LoadValid($$"""{ "workers": {{json}}, "worker": { "command": "server" } }""").DefaultApp().Workers.Count, Is.EqualTo(expected));
    }

    [Test]
    public void Auto_follows_the_processor_count_the_runtime_reports()
    {
        File.WriteAllText(Fixture.ConfigPath, """{ "workers": "auto", "worker": { "command": "server" } }""");

        var config = ConfigLoader.Load(Fixture.ConfigPath, ConfigOverrides.None, Fixture.Environment with { ProcessorCount = 3 }).Config!;

        Assert.That(config.DefaultApp().Workers, Is.EqualTo(new WorkerCount(3, IsAuto: true)));
    }

    [TestCase("http://localhost:8080", ListenHost.Localhost, 8080)]
    [TestCase("http://*:80", ListenHost.AnyInterface, 80)]
    [TestCase("http://+:8081/", ListenHost.AnyInterface, 8081)]
    [TestCase("http://[::]:8082", ListenHost.Address, 8082)]
    [TestCase("http://127.0.0.1", ListenHost.Address, 80)]
    public void Listen_accepts_ip_addresses_localhost_and_any(string url, ListenHost host, int port)
    {
        var listen = Fixture.LoadValid($$"""{ "listen": "{{url}}", "worker": { "command": "server" } }""").Listeners.Single();

        Assert.That((listen.Host, listen.Port), Is.EqualTo((host, port)));
    }
}
