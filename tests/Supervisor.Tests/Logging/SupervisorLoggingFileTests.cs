using System.Text.Json;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers;
using Serilog.Extensions.Logging;
using Cluster.TestSupport;

using Cluster.Supervisor.Tests.Fakes;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>The log file sink as configured: rolled by size, pruned to retainedFiles, one JSON object per line.</summary>
public sealed class SupervisorLoggingFileTests
{
    private TempFolder _temp = null!;

    private string Folder => _temp.Path;

    [SetUp]
    public void CreateFolder() => _temp = new TempFolder("logfiles");

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public void The_log_rolls_at_max_size_and_keeps_only_retained_files_all_JSON()
    {
        var path = Path.Combine(Folder, "logs", "supervisor.log");
        var config = Config(path, LogRollingInterval.Never);

        using (var logging = new SupervisorLogging(config))
        using (var factory = new SerilogLoggerFactory(logging.Logger))
        {
            var logger = factory.CreateLogger("Cluster.Supervisor");
            Assert.That(logging.ConfirmFiles(logger), Is.Null);
            for (var i = 0; i < 40; i++)
            {
                WorkerLog.Recycling(logger, i, 1000 + i, $"test event {i}");
            }
        }

        var files = Directory.GetFiles(Path.Combine(Folder, "logs")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Has.Count.EqualTo(3), string.Join(", ", files));
        Assert.That(files, Has.All.Match(@"^supervisor(_\d{3})?\.log$"));
        var lines = files.SelectMany(f => File.ReadAllLines(Path.Combine(Folder, "logs", f!))).ToList();
        Assert.That(lines, Is.Not.Empty);
        var workerIds = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("Properties")).Where(p => p.TryGetProperty("WorkerId", out _)).Select(p => p.GetProperty("WorkerId").GetInt32()).ToList();
        Assert.That(workerIds, Does.Contain(39), "the newest events are kept");
        Assert.That(workerIds, Does.Not.Contain(0), "the oldest files are deleted");
    }

    [Test]
    public void Files_rolled_by_time_carry_the_period_after_a_dash()
    {
        var path = Path.Combine(Folder, "supervisor.log");

        using (var logging = new SupervisorLogging(Config(path, LogRollingInterval.Day)))
        using (var factory = new SerilogLoggerFactory(logging.Logger))
        {
            Assert.That(logging.ConfirmFiles(factory.CreateLogger("Cluster.Supervisor")), Is.Null);
        }

        Assert.That(Directory.GetFiles(Folder).Select(Path.GetFileName), Has.One.Match(@"^supervisor-\d{8}\.log$"));
    }

    [Test]
    public void Worker_output_goes_to_the_workers_own_file_and_not_to_the_supervisor_log()
    {
        var path = Path.Combine(Folder, "supervisor.log");
        var config = Config(path, LogRollingInterval.Never) with { WorkerFiles = Path.Combine(Folder, "workers", "worker-{id}.log") };

        using (var logging = new SupervisorLogging(config))
        {
            WorkerLog.Output(logging.WorkerOutput(AppConfig.DefaultName, 3), 3, 3333, "out", "hello from three");
            WorkerLog.Output(logging.WorkerOutput(AppConfig.DefaultName, 12), 12, 1212, "err", "hello from twelve");
        }

        Assert.That(File.ReadAllText(Path.Combine(Folder, "workers", "worker-3.log")), Does.Contain("hello from three").And.Not.Contain("twelve"));
        Assert.That(File.ReadAllText(Path.Combine(Folder, "workers", "worker-12.log")), Does.Contain("hello from twelve").And.Not.Contain("three"));
        Assert.That(File.Exists(path) ? File.ReadAllText(path) : string.Empty, Does.Not.Contain("hello"));
    }

    [Test]
    public void A_log_file_the_sink_cannot_open_is_reported_by_ConfirmFiles()
    {
        var blocker = Path.Combine(Folder, "file.txt");
        File.WriteAllText(blocker, "not a folder");
        var path = Path.Combine(blocker, "supervisor.log");

        using var logging = new SupervisorLogging(Config(path, LogRollingInterval.Never));
        using var factory = new SerilogLoggerFactory(logging.Logger);

        Assert.That(logging.ConfirmFiles(factory.CreateLogger("Cluster.Supervisor")), Is.EqualTo($"$.log.file.path: cannot open {path} for writing (the reason is above)"));
    }

    [TestCase("/var/log/supervisor.log", LogRollingInterval.Day, "/var/log/supervisor-.log")]
    [TestCase("/var/log/worker-{id}.log", LogRollingInterval.Hour, "/var/log/worker-{id}-.log")]
    [TestCase("/var/log/app-.log", LogRollingInterval.Day, "/var/log/app-.log")]
    [TestCase("/var/log/supervisor.log", LogRollingInterval.Never, "/var/log/supervisor.log")]
    [TestCase("/var/log/supervisor", LogRollingInterval.Day, "/var/log/supervisor-")]
    public void The_rolled_file_names_separate_the_period_from_the_name(string path, LogRollingInterval interval, string expected) =>
        Assert.That(RollingFileNames.RolledPath(path, interval), Is.EqualTo(expected));

    private static LogConfig Config(string path, LogRollingInterval interval) => TestConfigs.Defaults.Log with
    {
        Level = LogLevelSetting.Information,
        File = new LogFileConfig { Path = path, RollingInterval = interval, MaxSizeBytes = 1024, RetainedFiles = 3, Format = LogFileFormat.Json },
    };
}
