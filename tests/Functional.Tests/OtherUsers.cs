using System.Globalization;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// Other local users, for the tests of what one user can do to another's supervisor: "nobody" (65534), and a user of
/// the test's own made with useradd (removed again by <see cref="DisposeAsync"/>). Both need root: the tests skip
/// without it. Commands run as one of them through setpriv, which changes user and execs, so the PID is the command's.
/// </summary>
internal sealed class OtherUsers : IAsyncDisposable
{
    public const int Nobody = 65534;

    private OtherUsers(string name, int uid)
    {
        Name = name;
        Uid = uid;
    }

    /// <summary>The user made for this test.</summary>
    public string Name { get; }

    public int Uid { get; }

    public static void AssumeRoot() =>
        Assume.That(Environment.UserName == "root" && File.Exists("/usr/bin/setpriv") && File.Exists("/usr/sbin/useradd"), Is.True, "needs root, setpriv and useradd to act as other users");

    public static async Task<OtherUsers> CreateAsync()
    {
        AssumeRoot();
        var name = "cltest" + Guid.NewGuid().ToString("N")[..8];
        var added = await TestCommand.RunAsync("useradd", ["--system", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", name], SupervisorHarness.Patience);
        Assert.That(added.ExitCode, Is.EqualTo(0), added.Output);
        var id = await TestCommand.RunAsync("id", ["-u", name], SupervisorHarness.Patience);
        return new OtherUsers(name, int.Parse(id.Output.Trim(), CultureInfo.InvariantCulture));
    }

    /// <summary>setpriv's arguments to run a command as <paramref name="uid"/> (its group of the same number, no others).</summary>
    public static string[] As(int uid, int? gid = null) =>
        [$"--reuid={uid.ToString(CultureInfo.InvariantCulture)}", $"--regid={(gid ?? uid).ToString(CultureInfo.InvariantCulture)}", "--clear-groups"];

    public static async Task ChownAsync(string path, int uid)
    {
        var chown = await TestCommand.RunAsync("chown", ["-h", uid.ToString(CultureInfo.InvariantCulture), path], SupervisorHarness.Patience);
        Assert.That(chown.ExitCode, Is.EqualTo(0), chown.Output);
    }

    public async ValueTask DisposeAsync()
    {
        var removed = await TestCommand.RunAsync("userdel", [Name], SupervisorHarness.Patience);
        Assert.That(removed.ExitCode, Is.EqualTo(0), removed.Output);
    }
}
