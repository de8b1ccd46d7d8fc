using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.TestSupport;

using Cluster.Supervisor.Tests.Fakes;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>Log files that cannot be written are found before anything starts, with the path and the reason.</summary>
public sealed class LogFileCheckTests
{
    private TempFolder _temp = null!;

    private string Folder => _temp.Path;

    [SetUp]
    public void CreateFolder() => _temp = new TempFolder("logcheck");

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public void At_start_missing_folders_are_created_and_nothing_else_is_left_behind()
    {
        var log = Log(Path.Combine(Folder, "logs", "supervisor.log"), Path.Combine(Folder, "workers", "w-{id}.log"));

        Assert.That(LogFileCheck.Check(log, createFolders: true), Is.Empty);

        Assert.That(Directory.GetFileSystemEntries(Folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "logs", "workers" }));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(Folder, "logs")), Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(Folder, "workers")), Is.Empty);
    }

    [Test]
    public void A_check_creates_nothing()
    {
        var log = Log(Path.Combine(Folder, "logs", "supervisor.log"), Path.Combine(Folder, "workers", "w-{id}.log"));

        Assert.That(LogFileCheck.Check(log, createFolders: false), Is.Empty);

        Assert.That(Directory.GetFileSystemEntries(Folder), Is.Empty);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_file_where_a_folder_should_be_is_an_error_for_each_log(bool createFolders)
    {
        var file = Path.Combine(Folder, "file.txt");
        File.WriteAllText(file, "not a folder");
        var log = Log(Path.Combine(file, "logs", "supervisor.log"), Path.Combine(file, "w-{id}.log"));

        var errors = LogFileCheck.Check(log, createFolders).Select(e => e.ToString());

        Assert.That(errors, Is.EqualTo(new[]
        {
            $"$.log.file.path: cannot open {file}/logs/supervisor.log for writing: {file} is a file, not a folder",
            $"$.log.workerFiles: cannot write worker log files {file}/w-{{id}}.log: {file} is a file, not a folder",
        }));
    }

    [Test]
    public void A_folder_given_as_the_log_file_is_an_error() =>
        Assert.That(
            LogFileCheck.Check(Log(Folder, workerFiles: null), createFolders: true).Single().ToString(),
            Is.EqualTo($"$.log.file.path: cannot open {Folder} for writing: it is a folder; name a file in it, e.g. {Folder}/supervisor.log"));

    [Test]
    public void No_log_file_needs_no_check() =>
        Assert.That(LogFileCheck.Check(TestConfigs.Defaults.Log, createFolders: true), Is.Empty);

    private static LogConfig Log(string? path, string? workerFiles) => TestConfigs.Defaults.Log with
    {
        Level = LogLevelSetting.Information,
        File = new LogFileConfig { Path = path, RollingInterval = LogRollingInterval.Day, MaxSizeBytes = 100 * 1024 * 1024, RetainedFiles = 14, Format = LogFileFormat.Json },
        WorkerFiles = workerFiles,
    };
}
