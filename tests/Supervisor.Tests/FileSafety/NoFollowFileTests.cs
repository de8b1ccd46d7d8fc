using Cluster.Supervisor.FileSafety;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.FileSafety;

/// <summary>Files the supervisor writes are never reached through a link, and get their mode when they are created.</summary>
public sealed class NoFollowFileTests
{
    private const UnixFileMode Mode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private TempFolder _temp = null!;

    private string Folder => _temp.Path;

    [SetUp]
    public void CreateFolder() => _temp = new TempFolder("nofollow");

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public void A_new_file_has_its_mode_from_the_start_and_an_existing_name_of_any_kind_is_refused()
    {
        var path = Path.Combine(Folder, "new");
        using (NoFollowFile.CreateNew(path, Mode0640))
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(Mode0640));
        }

        var link = Path.Combine(Folder, "link");
        File.CreateSymbolicLink(link, Path.Combine(Folder, "missing"));
        Assert.Throws<AlreadyExistsException>(() => NoFollowFile.CreateNew(path, Mode0640).Dispose());
        Assert.Throws<AlreadyExistsException>(() => NoFollowFile.CreateNew(link, Mode0640).Dispose());
        Assert.That(File.Exists(Path.Combine(Folder, "missing")), Is.False, "created through a dangling link");
    }

    [Test]
    public void Appending_refuses_a_link_to_an_existing_file_and_a_dangling_one_and_touches_neither_target()
    {
        var target = Path.Combine(Folder, "target");
        File.WriteAllText(target, "precious");
        var missing = Path.Combine(Folder, "missing");
        foreach (var (name, pointsTo) in new[] { ("to-file", target), ("dangling", missing) })
        {
            var link = Path.Combine(Folder, name);
            File.CreateSymbolicLink(link, pointsTo);

            var error = Assert.Throws<IOException>(() => NoFollowFile.OpenForAppend(link, Mode0640).Dispose())!;

            Assert.That(error.Message, Is.EqualTo($"refusing to open {link}: it is a symbolic link (not followed); remove it"));
        }

        Assert.That(File.ReadAllText(target), Is.EqualTo("precious"));
        Assert.That(File.Exists(missing), Is.False);
    }

    [Test]
    public void Appending_refuses_a_second_hard_link_and_a_FIFO_and_creates_a_missing_file_0640()
    {
        var original = Path.Combine(Folder, "original");
        File.WriteAllText(original, "precious");
        var hardLink = Path.Combine(Folder, "hard");
        Assert.That(Link(original, hardLink), Is.EqualTo(0));
        var fifo = Path.Combine(Folder, "fifo");
        Assert.That(MakeFifo(fifo, 0b110_000_000), Is.EqualTo(0));

        Assert.That(Assert.Throws<IOException>(() => NoFollowFile.OpenForAppend(hardLink, Mode0640).Dispose())!.Message, Does.Contain("it has 2 hard links"));
        Assert.That(Assert.Throws<IOException>(() => NoFollowFile.OpenForAppend(fifo, Mode0640).Dispose())!.Message, Does.Contain("it is not a regular file"));
        var created = Path.Combine(Folder, "created.log");
        using (var handle = NoFollowFile.OpenForAppend(created, Mode0640))
        using (var stream = new FileStream(handle, FileAccess.Write))
        {
            stream.Write("line\n"u8);
        }

        Assert.That(File.GetUnixFileMode(created), Is.EqualTo(Mode0640));
        Assert.That(File.ReadAllText(original), Is.EqualTo("precious"));
    }

    [Test]
    public void Reading_does_not_follow_a_link_and_a_missing_file_is_null()
    {
        var target = Path.Combine(Folder, "target");
        File.WriteAllText(target, "{}");
        var link = Path.Combine(Folder, "link");
        File.CreateSymbolicLink(link, target);

        Assert.That(NoFollowFile.OpenToRead(Path.Combine(Folder, "none")), Is.Null);
        Assert.Throws<IOException>(() => NoFollowFile.OpenToRead(link)?.Dispose());
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);
}
