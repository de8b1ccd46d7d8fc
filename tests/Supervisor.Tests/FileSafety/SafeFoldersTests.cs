using Cluster.Shared.Configuration;
using Cluster.Supervisor.FileSafety;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.FileSafety;

/// <summary>The runtime folder is the supervisor's private one; a configured folder is one no other user may write.</summary>
public sealed class SafeFoldersTests
{
    private TempFolder _temp = null!;

    private string Folder => _temp.Path;

    [SetUp]
    public void CreateFolder() => _temp = new TempFolder("folders");

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public void The_runtime_folder_is_created_0700_and_then_accepted()
    {
        var runtime = Path.Combine(Folder, "cluster-1000");

        Assert.That(SafeFolders.EnsurePrivate(runtime), Is.Null);
        Assert.That(File.GetUnixFileMode(runtime), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(SafeFolders.EnsurePrivate(runtime), Is.Null);
    }

    [Test]
    public void An_existing_runtime_folder_others_may_enter_or_a_link_is_refused_and_left_as_it_is()
    {
        var open = Path.Combine(Folder, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)Convert.ToInt32("755", 8));
        var link = Path.Combine(Folder, "link");
        Directory.CreateSymbolicLink(link, open);

        Assert.That(SafeFolders.EnsurePrivate(open), Does.StartWith($"the runtime folder {open} is a folder owned by {Users.Describe(Users.Current)} with mode 0755; the supervisor uses it only when it is a folder of its own user"));
        Assert.That(SafeFolders.EnsurePrivate(link), Does.StartWith($"the runtime folder {link} is a symbolic link owned by"));
        Assert.That(File.GetUnixFileMode(open), Is.EqualTo((UnixFileMode)Convert.ToInt32("755", 8)), "the folder's mode was changed");
    }

    [Test]
    public void A_configured_folder_others_may_write_is_refused_and_one_only_its_owner_writes_is_accepted()
    {
        var shared = Path.Combine(Folder, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("1777", 8));
        var readable = Path.Combine(Folder, "readable");
        Directory.CreateDirectory(readable);
        File.SetUnixFileMode(readable, (UnixFileMode)Convert.ToInt32("755", 8));

        Assert.That(SafeFolders.EnsureWritableOnlyByOwner(shared, "pidFile"), Does.StartWith($"the folder {shared} (pidFile) is a folder owned by {Users.Describe(Users.Current)} with mode 1777: other users could replace the supervisor's files in it"));
        Assert.That(SafeFolders.EnsureWritableOnlyByOwner(readable, "pidFile"), Is.Null);
        Assert.That(SafeFolders.EnsureWritableOnlyByOwner(Path.Combine(Folder, "new", "deeper"), "pidFile"), Is.Null);
        Assert.That(File.GetUnixFileMode(Path.Combine(Folder, "new", "deeper")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [TestCase(0u, "/run/user/0", "/tmp/", "/run/cluster")]
    [TestCase(1000u, "/run/user/1000", "/tmp/", "/run/user/1000/cluster")]
    [TestCase(1000u, null, "/var/tmp/", "/var/tmp/cluster-1000")]
    [TestCase(1000u, "", "/tmp/", "/tmp/cluster-1000")]
    public void The_default_runtime_folder_is_run_cluster_for_root_else_the_users_own(uint uid, string? xdg, string temp, string expected) =>
        Assert.That(RuntimeDirectories.Default(uid, xdg, temp), Is.EqualTo(expected));
}
