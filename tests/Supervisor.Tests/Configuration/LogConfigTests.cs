using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>The log section: level, the rolling log file and per-worker files.</summary>
public sealed class LogConfigTests : ConfigTestBase
{
    private const string Worker = "\"worker\": { \"command\": \"server\" }";

    [Test]
    public void By_default_there_is_no_log_file_and_files_would_roll_daily_at_100MB_keeping_14_as_JSON()
    {
        var log = Fixture.LoadValid($$"""{ {{Worker}} }""").Log;

        Assert.That(log.File, Is.EqualTo(new LogFileConfig
        {
            Path = null,
            RollingInterval = LogRollingInterval.Day,
            MaxSizeBytes = 100 * 1024 * 1024,
            RetainedFiles = 14,
            Format = LogFileFormat.Json,
        }));
        Assert.That(log.WorkerFiles, Is.Null);
        Assert.That(log.MemoryLines, Is.EqualTo(2000));
    }

    [TestCase("0", 0)]
    [TestCase("50000", 50000)]
    public void The_in_memory_log_keeps_as_many_lines_as_memoryLines_says(string value, int expected) =>
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}}, "log": { "memoryLines": {{value}} } }""").Log.MemoryLines, Is.EqualTo(expected));

    [TestCase("-1", "a number (-1)")]
    [TestCase("1000001", "a number (1000001)")]
    [TestCase("\"lots\"", "a string (\"lots\")")]
    public void A_bad_memoryLines_is_an_error_naming_its_path_and_range(string value, string got) =>
        Assert.That(
            Fixture.OnlyError($$"""{ {{Worker}}, "log": { "memoryLines": {{value}} } }"""),
            Is.EqualTo($"$.log.memoryLines: expected the number of log lines kept in memory for supervisor logs: an integer from 0 to 1000000, got {got}"));

    [Test]
    public void A_changed_memoryLines_needs_a_restart_and_keeps_the_running_ring()
    {
        var running = Fixture.LoadValid($$"""{ {{Worker}} }""");
        var loaded = Fixture.LoadValid($$"""{ {{Worker}}, "log": { "memoryLines": 10 } }""");

        Assert.That(ConfigChanges.Between(running, loaded).NeedRestart, Is.EqualTo(new[] { "log.memoryLines 2000 -> 10" }));
        Assert.That(ConfigChanges.KeepRestartOnly(running, loaded).Log.MemoryLines, Is.EqualTo(2000));
    }

    [Test]
    public void Every_log_key_is_read_and_paths_resolve_against_the_config_folder()
    {
        var log = Fixture.LoadValid($$"""
            {
              {{Worker}},
              "log": {
                "level": "debug",
                "file": { "path": "logs/supervisor.log", "rollingInterval": "hour", "maxSize": "2KB", "retainedFiles": 3, "format": "text" },
                "workerFiles": "logs/worker-{id}.log"
              }
            }
            """).Log;

        Assert.That(log.Level, Is.EqualTo(LogLevelSetting.Debug));
        Assert.That(log.File, Is.EqualTo(new LogFileConfig
        {
            Path = Path.Combine(Fixture.Folder, "logs", "supervisor.log"),
            RollingInterval = LogRollingInterval.Hour,
            MaxSizeBytes = 2048,
            RetainedFiles = 3,
            Format = LogFileFormat.Text,
        }));
        Assert.That(log.WorkerFiles, Is.EqualTo(Path.Combine(Fixture.Folder, "logs", "worker-{id}.log")));
    }

    [Test]
    public void An_absolute_log_path_is_kept() =>
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}}, "log": { "file": { "path": "/var/log/app/supervisor.log" } } }""").Log.File.Path, Is.EqualTo("/var/log/app/supervisor.log"));

    [Test]
    public void Worker_files_given_as_a_folder_get_one_worker_id_log_each() =>
        Assert.That(
            Fixture.LoadValid($$"""{ {{Worker}}, "log": { "workerFiles": "logs/workers/" } }""").Log.WorkerFiles,
            Is.EqualTo(Path.Combine(Fixture.Folder, "logs", "workers", "worker-{id}.log")));

    [Test]
    public void A_null_max_size_turns_rolling_by_size_off() =>
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}}, "log": { "file": { "path": "x.log", "maxSize": null } } }""").Log.File.MaxSizeBytes, Is.Null);

    [TestCase("never", LogRollingInterval.Never)]
    [TestCase("infinite", LogRollingInterval.Never)]
    [TestCase("minute", LogRollingInterval.Minute)]
    [TestCase("year", LogRollingInterval.Year)]
    public void Each_rolling_interval_can_be_chosen(string name, LogRollingInterval expected) =>
        Assert.That(Fixture.LoadValid($$"""{ {{Worker}}, "log": { "file": { "rollingInterval": "{{name}}" } } }""").Log.File.RollingInterval, Is.EqualTo(expected));

    [TestCase("""{ "rollingInterval": "Month" }""", "$.log.file.rollingInterval: expected one of \"day\", \"hour\", \"minute\", \"month\", \"year\", \"never\", got a string (\"Month\") (did you mean \"month\"?)")]
    [TestCase("""{ "rollingInterval": "weekly" }""", "$.log.file.rollingInterval: expected one of \"day\", \"hour\", \"minute\", \"month\", \"year\", \"never\", got a string (\"weekly\")")]
    [TestCase("""{ "maxSize": "10" }""", "$.log.file.maxSize: expected a size with a unit, such as \"32KB\", \"10MB\" or \"1GB\", from 1KB to")]
    [TestCase("""{ "maxSize": "512B" }""", "$.log.file.maxSize: expected a size from 1KB to")]
    [TestCase("""{ "retainedFiles": 0 }""", "$.log.file.retainedFiles: expected log files to keep, the current one included: an integer from 1 to 100000, got a number (0)")]
    [TestCase("""{ "format": "xml" }""", "$.log.file.format: expected one of \"json\", \"text\", got a string (\"xml\")")]
    [TestCase("""{ "path": 7 }""", "$.log.file.path: expected a file path (relative to the config file's folder), e.g. \"logs/supervisor.log\", got a number (7)")]
    [TestCase("""{ "path": "logs/" }""", "$.log.file.path: expected a file path such as \"logs/supervisor.log\", got \"logs/\"")]
    [TestCase("""{ "rotate": "day" }""", "$.log.file.rotate: unknown key; allowed keys here: path, rollingInterval, maxSize, retainedFiles, format")]
    [TestCase("""{ "retainedFile": 3 }""", "$.log.file.retainedFile: unknown key (did you mean \"retainedFiles\"?)")]
    public void A_bad_log_file_setting_is_an_error_naming_its_path(string file, string expected) =>
        Assert.That(Fixture.OnlyError($$"""{ {{Worker}}, "log": { "file": {{file}} } }"""), Does.StartWith(expected));

    [TestCase("logs/worker.log")]
    [TestCase("logs/{id}/out.log")]
    [TestCase("logs/{app}/worker-{id}.log")]
    [TestCase("")]
    public void Worker_files_need_id_in_the_file_name_or_a_folder(string pattern) =>
        Assert.That(
            Fixture.OnlyError($$"""{ {{Worker}}, "log": { "workerFiles": "{{pattern}}" } }"""),
            Is.EqualTo($"$.log.workerFiles: expected a file path with {{id}} in its name, e.g. \"logs/worker-{{id}}.log\", or a folder ending in \"/\" ({{id}} and {{app}} in the file name only, not in a folder); got \"{pattern}\""));

    [Test]
    public void Log_file_must_be_an_object_and_log_keys_known() =>
        Assert.That(
            Fixture.Load($$"""{ {{Worker}}, "log": { "file": "x.log", "workerfiles": "w-{id}.log" } }""").Errors.Select(e => e.ToString()),
            Is.EqualTo(new[]
            {
                "$.log.workerfiles: unknown key (did you mean \"workerFiles\"?); allowed keys here: level, file, workerFiles, memoryLines",
                "$.log.file: expected an object, got a string (\"x.log\")",
            }));

    [Test]
    public void A_reload_applies_the_level_at_once_but_a_changed_log_file_needs_a_restart()
    {
        var running = Fixture.LoadValid($$"""{ {{Worker}}, "log": { "level": "info", "file": { "path": "a.log" } } }""");
        var loaded = Fixture.LoadValid($$"""{ {{Worker}}, "log": { "level": "debug", "file": { "path": "b.log" }, "workerFiles": "w-{id}.log" } }""");

        var changes = ConfigChanges.Between(running, loaded);
        var kept = ConfigChanges.KeepRestartOnly(running, loaded);

        Assert.That(changes.Applied, Is.EqualTo(new[] { "log.level information -> debug" }), "in the spelling of the file");
        Assert.That(changes.NeedRestart, Is.EqualTo(new[]
        {
            $"log.file.path {Path.Combine(Fixture.Folder, "a.log")} -> {Path.Combine(Fixture.Folder, "b.log")}",
            $"log.workerFiles (none) -> {Path.Combine(Fixture.Folder, "w-{id}.log")}",
        }));
        Assert.That(kept.Log, Is.EqualTo(running.Log with { Level = LogLevelSetting.Debug }));
    }

    [Test]
    public void An_unchanged_log_section_is_no_change()
    {
        const string Json = $$"""{ {{Worker}}, "log": { "file": { "path": "a.log", "maxSize": "1MB" }, "workerFiles": "logs/" } }""";

        Assert.That(ConfigChanges.Between(Fixture.LoadValid(Json), Fixture.LoadValid(Json)).Any, Is.False);
    }
}
