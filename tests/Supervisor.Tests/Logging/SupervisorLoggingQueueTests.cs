using System.Globalization;
using System.Text.RegularExpressions;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers;
using Cluster.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Serilog.Extensions.Logging;

using Cluster.Supervisor.Tests.Fakes;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>The supervisor's log behind its queues: all of it written at stop, drops reported as a warning.</summary>
public sealed class SupervisorLoggingQueueTests
{
    private const int Events = 2000;
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder("logqueue");

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    [Test]
    public void Everything_logged_before_the_stop_is_in_the_files_when_it_returns()
    {
        var path = _folder.Combine("supervisor.log");
        var config = Config(path, LogLevelSetting.Information) with { WorkerFiles = _folder.Combine("worker-{id}.log") };

        using (var logging = new SupervisorLogging(config))
        using (var factory = new SerilogLoggerFactory(logging.Logger))
        {
            var logger = factory.CreateLogger("Cluster.Supervisor");
            Assert.That(logging.ConfirmFiles(logger), Is.Null);
            for (var i = 0; i < Events; i++)
            {
                WorkerLog.Recycling(logger, 0, 1000, $"event {i}");
                WorkerLog.Output(logging.WorkerOutput(AppConfig.DefaultName, i % 2), i % 2, 2000 + (i % 2), "out", $"line {i}");
            }

            Assert.That(logging.Buffers.Destinations.Select(d => (d.Label, d.Dropped)), Is.EqualTo(new[] { ("console", 0L), ("memory", 0L), ("file", 0L), ("workerFiles", 0L) }));
        }

        var supervisorLog = File.ReadAllLines(path);
        Assert.That(supervisorLog.Select(l => Regex.Match(l, @"recycling: event (\d+)")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)), Is.EqualTo(Enumerable.Range(0, Events)));
        Assert.That(File.ReadAllLines(_folder.Combine("worker-0.log")).Select(l => l[(l.LastIndexOf(' ') + 1)..]), Is.EqualTo(Enumerable.Range(0, Events).Where(i => i % 2 == 0).Select(i => $"{i}")));
        Assert.That(File.ReadAllLines(_folder.Combine("worker-1.log")).Select(l => l[(l.LastIndexOf(' ') + 1)..]), Is.EqualTo(Enumerable.Range(0, Events).Where(i => i % 2 == 1).Select(i => $"{i}")));
    }

    [Test]
    public void Dropped_events_are_reported_as_a_warning_at_each_interval_and_at_the_stop()
    {
        var path = _folder.Combine("supervisor.log");
        var time = new FakeTimeProvider();
        var buffers = new LogBuffers(capacity: 2);
        using var stuck = new TestLogSink(held: true);
        var stalled = new LoggerConfiguration();
        buffers.Add(stalled.WriteTo, "stalled", "stalled sink", writeTo => writeTo.Sink(stuck), _ => { });
        var stalledLogger = stalled.CreateLogger();

        using (var logging = new SupervisorLogging(Config(path, LogLevelSetting.Information), time, buffers))
        {
            stalledLogger.Information("first");
            Assert.That(stuck.Entered.Wait(Waits.Patience), Is.True);
            for (var i = 0; i < 6; i++)
            {
                stalledLogger.Information("more");
            }

            time.Advance(SupervisorLogging.DropReportInterval);
            stalledLogger.Information("dropped after the report");
            stuck.Release();
            stalledLogger.Dispose();
        }

        var warnings = File.ReadAllLines(path).Where(l => l.Contains("dropped", StringComparison.Ordinal)).ToList();
        Assert.That(warnings, Has.Count.EqualTo(2), string.Join('\n', warnings));
        Assert.That(warnings[0], Does.EndWith("[WRN] 4 log event(s) dropped: the stalled sink did not keep up and its queue of 2 events was full (4 dropped since start)"));
        Assert.That(warnings[1], Does.EndWith("[WRN] 1 log event(s) dropped: the stalled sink did not keep up and its queue of 2 events was full (5 dropped since start)"));
    }

    [Test]
    public void Below_information_the_log_file_is_not_waited_for_and_the_first_warning_opens_it()
    {
        var path = _folder.Combine("supervisor.log");

        using (var logging = new SupervisorLogging(Config(path, LogLevelSetting.Warning)))
        using (var factory = new SerilogLoggerFactory(logging.Logger))
        {
            var logger = factory.CreateLogger("Cluster.Supervisor");
            Assert.That(logging.ConfirmFiles(logger), Is.Null);
            WorkerLog.Recycling(logger, 0, 1000, "not written at warning");
            WorkerLog.HealthCheckFailed(logger, 0, 1000, 2, "no answer");
        }

        Assert.That(File.ReadAllText(path), Does.Contain("health check failed (2 in a row): no answer").And.Not.Contain("not written"));
    }

    private static LogConfig Config(string path, LogLevelSetting level) => TestConfigs.Defaults.Log with
    {
        Level = level,
        File = new LogFileConfig { Path = path, RollingInterval = LogRollingInterval.Never, MaxSizeBytes = null, RetainedFiles = 3, Format = LogFileFormat.Text },
    };
}
