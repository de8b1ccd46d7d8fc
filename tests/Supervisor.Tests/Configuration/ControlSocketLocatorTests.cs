using Cluster.Shared.Configuration;
using Cluster.Supervisor.Cli;

namespace Cluster.Supervisor.Tests.Configuration;

public sealed class ControlSocketLocatorTests : ConfigTestBase
{
    [Test]
    public void A_valid_config_gives_its_control_socket()
    {
        File.WriteAllText(Fixture.ConfigPath, """{ "control": { "socket": "run/c.sock" }, "worker": { "command": "server" } }""");

        Assert.That(ControlSocketLocator.For(Fixture.ConfigPath, Fixture.Environment), Is.EqualTo((Path.Combine(Fixture.Folder, "run", "c.sock"), (string?)null)));
    }

    [Test]
    public void An_invalid_config_still_gives_its_control_socket_when_the_json_reads()
    {
        File.WriteAllText(Fixture.ConfigPath, """{ "workers": 0, "control": { "socket": "/srv/app/c.sock" } }""");

        Assert.That(ControlSocketLocator.For(Fixture.ConfigPath, Fixture.Environment), Is.EqualTo(("/srv/app/c.sock", (string?)null)));
    }

    [Test]
    public void Without_control_socket_it_is_the_default_beside_the_pid_file()
    {
        File.WriteAllText(Fixture.ConfigPath, """{ "worker": { "command": "server" } }""");

        var (path, warning) = ControlSocketLocator.For(Fixture.ConfigPath, Fixture.Environment);

        Assert.That(path, Does.StartWith(Path.Combine(Fixture.Folder, "run", "supervisor-")).And.EndWith(".sock"));
        Assert.That(path, Is.EqualTo(Path.ChangeExtension(Fixture.LoadValid("""{ "worker": { "command": "server" } }""").PidFile.Replace(".pids.json", ".json", StringComparison.Ordinal), ".sock")));
        Assert.That(warning, Is.Null);
    }

    [Test]
    public void Unreadable_json_falls_back_to_the_default_and_says_so()
    {
        File.WriteAllText(Fixture.ConfigPath, "{ \"control\": ");

        var (path, warning) = ControlSocketLocator.For(Fixture.ConfigPath, Fixture.Environment);

        Assert.That(path, Does.EndWith(".sock"));
        Assert.That(warning, Does.StartWith($"cannot read control.socket from {Fixture.ConfigPath} (").And.EndWith("trying the default socket; give --socket if the supervisor uses another"));
    }
}
