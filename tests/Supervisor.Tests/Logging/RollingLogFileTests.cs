using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>The log file writer: Serilog's names, rolling and pruning, and never a write through a link.</summary>
public sealed class RollingLogFileTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private TempFolder _temp = null!;

    private string Folder => _temp.Path;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void CreateFolder()
    {
        _temp = new TempFolder("rolling");
        _time = new FakeTimeProvider(Noon);
    }

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public void A_new_period_starts_a_new_file_and_only_the_retained_ones_stay()
    {
        using (var file = Writer(LogRollingInterval.Day, maxBytes: null, retained: 2))
        {
            file.Emit(Event("first day"));
            _time.Advance(TimeSpan.FromDays(1));
            file.Emit(Event("second day"));
            _time.Advance(TimeSpan.FromDays(1));
            file.Emit(Event("third day"));
        }

        Assert.That(Names(), Is.EqualTo(new[] { "supervisor-20261122.log", "supervisor-20261123.log" }));
        Assert.That(File.ReadAllText(Path.Combine(Folder, "logs", "supervisor-20261123.log")), Is.EqualTo("third day\n"));
    }

    [Test]
    public void A_file_past_maxSize_is_followed_by_the_next_in_sequence_and_a_restart_appends_to_the_newest()
    {
        using (var file = Writer(LogRollingInterval.Never, maxBytes: 10, retained: 10))
        {
            file.Emit(Event("0123456789 first"));
            file.Emit(Event("second"));
            file.Emit(Event("third"));
        }

        using (var again = Writer(LogRollingInterval.Never, maxBytes: 1000, retained: 10))
        {
            again.Emit(Event("after a restart"));
        }

        Assert.That(Names(), Is.EqualTo(new[] { "supervisor.log", "supervisor_001.log" }));
        Assert.That(File.ReadAllText(Path.Combine(Folder, "logs", "supervisor.log")), Is.EqualTo("0123456789 first\n"));
        Assert.That(File.ReadAllText(Path.Combine(Folder, "logs", "supervisor_001.log")), Is.EqualTo("second\nthird\nafter a restart\n"));
    }

    [Test]
    public void New_files_are_0640_in_a_new_folder_0750()
    {
        using (var file = Writer(LogRollingInterval.Never, maxBytes: null, retained: 1))
        {
            file.Emit(Event("hello"));
        }

        Assert.That(File.GetUnixFileMode(Path.Combine(Folder, "logs", "supervisor.log")), Is.EqualTo(RollingLogFile.FileMode));
        Assert.That(File.GetUnixFileMode(Path.Combine(Folder, "logs")), Is.EqualTo(RollingLogFile.FolderMode));
    }

    [Test]
    public void A_link_at_the_next_periods_name_is_refused_and_reported_its_target_untouched_and_retried_later()
    {
        var target = Path.Combine(Folder, "root-only");
        File.WriteAllText(target, "precious\n");
        var failures = new Failures();
        using var file = Writer(LogRollingInterval.Day, maxBytes: null, retained: 5);
        file.SetFailureListener(failures);
        file.Emit(Event("today"));
        var link = Path.Combine(Folder, "logs", "supervisor-20261122.log");
        File.CreateSymbolicLink(link, target);

        _time.Advance(TimeSpan.FromDays(1));
        file.Emit(Event("tomorrow, through the link?"));
        file.Emit(Event("still not"));

        Assert.That(File.ReadAllText(target), Is.EqualTo("precious\n"));
        Assert.That(failures.Messages, Is.EqualTo(new[] { $"cannot open {link}: refusing to open {link}: it is a symbolic link (not followed); remove it" }));
        File.Delete(link);
        _time.Advance(TimeSpan.FromMinutes(1));
        file.Emit(Event("once the link is gone"));
        Assert.That(File.ReadAllText(link), Is.EqualTo("once the link is gone\n"));
    }

    private RollingLogFile Writer(LogRollingInterval interval, long? maxBytes, int retained) => new(
        Path.Combine(Folder, "logs", "supervisor.log"),
        new LogFileConfig { Path = "unused", RollingInterval = interval, MaxSizeBytes = maxBytes, RetainedFiles = retained, Format = LogFileFormat.Text },
        new MessageTemplateTextFormatter("{Message}{NewLine}"),
        _time);

    private string[] Names() => Directory.GetFiles(Path.Combine(Folder, "logs")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static LogEvent Event(string text) =>
        new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, new MessageTemplate([new TextToken(text)]), []);

    private sealed class Failures : ILoggingFailureListener
    {
        public List<string> Messages { get; } = [];

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception) =>
            Messages.Add($"{message}: {exception?.Message}");
    }
}
