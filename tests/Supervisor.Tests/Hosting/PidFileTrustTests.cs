using Cluster.Supervisor.Hosting.PidFiles;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Hosting;

/// <summary>The pid file is written without following links, and read only when it is the supervisor's user's own regular file.</summary>
public sealed class PidFileTrustTests
{
    private TempFolder _temp = null!;

    private string Folder => _temp.Path;

    [SetUp]
    public void CreateFolder() => _temp = new TempFolder("pidfile");

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public void Links_at_the_file_and_at_its_temporary_name_are_replaced_not_written_through()
    {
        var path = Path.Combine(Folder, "app.pids.json");
        var targets = new[] { Path.Combine(Folder, "a"), Path.Combine(Folder, "b") };
        File.WriteAllText(targets[0], "a");
        File.WriteAllText(targets[1], "b");
        File.CreateSymbolicLink(path, targets[0]);
        File.CreateSymbolicLink(path + ".tmp", targets[1]);
        var pidFile = new PidFile(path, "/srv/app/supervisor.json");

        pidFile.Create();

        Assert.That(File.ReadAllText(targets[0]), Is.EqualTo("a"));
        Assert.That(File.ReadAllText(targets[1]), Is.EqualTo("b"));
        Assert.That(new FileInfo(path).LinkTarget, Is.Null);
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var (content, distrust) = PidFile.Read(path);
        Assert.That(distrust, Is.Null);
        Assert.That(content!.Supervisor.Pid, Is.EqualTo(Environment.ProcessId));
        Assert.That(content.ConfigFile, Is.EqualTo("/srv/app/supervisor.json"));
    }

    [Test]
    public void A_link_is_not_read_and_says_why()
    {
        var path = Path.Combine(Folder, "app.pids.json");
        var real = Path.Combine(Folder, "elsewhere.json");
        new PidFile(real, "/srv/app/supervisor.json").Create();
        File.CreateSymbolicLink(path, real);

        var (content, distrust) = PidFile.Read(path);

        Assert.That(content, Is.Null);
        Assert.That(distrust, Is.EqualTo($"refusing to open {path}: it is a symbolic link (not followed); remove it"));
        Assert.That(PidFile.Read(Path.Combine(Folder, "none.json")), Is.EqualTo(((Cluster.Supervisor.Hosting.PidFiles.PidFileContent?)null, (string?)null)));
    }
}
