using Cluster.Shared.Accounts;
using Cluster.Shared.Configuration;
using Cluster.Shared.Configuration.Layout;
using Cluster.Supervisor.Tests.Fakes;

namespace Cluster.Supervisor.Tests.Configuration;

/// <summary>
/// worker.user and worker.group (found in the machine's user database, here <see cref="FakeAccounts"/>), whether the
/// supervisor may start workers as that user, worker.stopSignal and worker.killProcessGroup.
/// </summary>
public sealed class WorkerUserConfigTests : ConfigTestBase
{
    private static string Config(string workerKeys) => $$"""{ "worker": { "command": "server", {{workerKeys}} } }""";

    [Test]
    public void By_default_workers_run_as_the_supervisor_stop_on_SIGTERM_and_are_stopped_with_their_process_group()
    {
        var worker = Fixture.LoadValid("""{ "worker": { "command": "server" } }""").DefaultApp().Worker;

        Assert.That((worker.User, worker.Group, worker.RunAs), Is.EqualTo(((ConfiguredUser?)null, (ConfiguredGroup?)null, (WorkerIdentity?)null)));
        Assert.That((worker.StopSignal, worker.KillProcessGroup), Is.EqualTo((StopSignal.Terminate, true)));
    }

    [Test]
    public void A_user_by_name_runs_the_workers_with_its_uid_its_own_group_and_its_home()
    {
        var config = Fixture.LoadValid(Config("\"user\": \"www-data\""));

        Assert.That(config.DefaultApp().Worker.RunAs, Is.EqualTo(new WorkerIdentity("www-data", 33, 33, "/var/www")));
        Assert.That(ConfigDocuments.Effective(config)["worker"]!["user"]!.GetValue<string>(), Is.EqualTo("www-data"));
    }

    [Test]
    public void A_user_and_a_group_by_number_are_found_and_shown_as_written()
    {
        var config = Fixture.LoadValid(Config("\"user\": \"65534\", \"group\": \"33\""));

        Assert.That(config.DefaultApp().Worker.RunAs, Is.EqualTo(new WorkerIdentity("nobody", 65534, 33, "/nonexistent")));
        Assert.That(ConfigDocuments.Effective(config)["worker"]!["group"]!.GetValue<string>(), Is.EqualTo("33"));
    }

    [TestCase("\"user\": \"ghost\"", "$.worker.user: no user \"ghost\" on this machine (getent passwd ghost finds none): name an existing one, or create it (useradd --system --no-create-home --shell /usr/sbin/nologin ghost)")]
    [TestCase("\"user\": \"4242\"", "$.worker.user: no user with ID 4242 on this machine (getent passwd 4242 finds none): name an existing one, or create it (useradd --system --no-create-home --shell /usr/sbin/nologin NAME)")]
    [TestCase("\"user\": \"nobody\", \"group\": \"ghosts\"", "$.worker.group: no group \"ghosts\" on this machine (getent group ghosts finds none): name an existing one, or create it (groupadd --system ghosts)")]
    public void A_user_or_group_the_machine_does_not_have_is_an_error_of_the_machine_naming_its_key(string keys, string expected)
    {
        var result = Fixture.Load(Config(keys));

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { expected }));
        Assert.That(result.Errors.Single().Kind, Is.EqualTo(ConfigErrorKind.Machine));
    }

    [TestCase("\"user\": \"www data\"", "$.worker.user: expected a user name or numeric ID, e.g. \"www-data\" or \"33\" (no spaces, colons or slashes); got \"www data\"")]
    [TestCase("\"user\": \"\"", "$.worker.user: expected a user name or numeric ID, e.g. \"www-data\" or \"33\" (no spaces, colons or slashes); got \"\"")]
    [TestCase("\"user\": 33", "$.worker.user: expected a string: a user name or numeric ID, e.g. \"www-data\" or \"33\", got a number (33); write it in quotes: \"33\"")]
    [TestCase("\"user\": \"nobody\", \"group\": \"a:b\"", "$.worker.group: expected a group name or numeric ID, e.g. \"www-data\" or \"33\" (no spaces, colons or slashes); got \"a:b\"")]
    public void A_malformed_user_or_group_is_refused_as_the_schema_refuses_it(string keys, string expected) =>
        Assert.That(Fixture.OnlyError(Config(keys)), Is.EqualTo(expected));

    [Test]
    public void A_group_without_a_user_is_refused() =>
        Assert.That(
            Fixture.OnlyError(Config("\"group\": \"www-data\"")),
            Is.EqualTo("$.worker.group: worker.group needs worker.user: a group alone would leave the workers running as the supervisor's own user; set \"user\" too"));

    [Test]
    public void An_unprivileged_supervisor_may_not_start_workers_as_another_user_and_is_told_what_it_lacks()
    {
        var unprivileged = Fixture.Environment with { Credentials = new ProcessCredentials(1000, 1000, 0) };
        File.WriteAllText(Fixture.ConfigPath, Config("\"user\": \"nobody\", \"readiness\": { \"notify\": true }"));

        var result = ConfigLoader.Load(Fixture.ConfigPath, ConfigOverrides.None, unprivileged);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "$.worker.user: the supervisor runs as uid 1000 (gid 1000) without CAP_SETUID (to become the user), CAP_SETGID (to take its groups), CAP_KILL (to stop its processes), CAP_CHOWN (to give each worker its notify socket, readiness.notify), so it cannot start workers as nobody (uid 65534, gid 65534): "
            + "start it as root (the workers still run as this user), or give it these capabilities (systemd: AmbientCapabilities=), or remove worker.user",
        }));
        Assert.That(result.Errors.Single().Kind, Is.EqualTo(ConfigErrorKind.Machine));
    }

    [Test]
    public void A_supervisor_with_the_capabilities_but_not_root_may_and_one_that_is_the_user_already_needs_none()
    {
        ulong Bits(params LinuxCapability[] capabilities) => capabilities.Aggregate(0UL, (bits, c) => bits | (1UL << (int)c));
        var capable = Fixture.Environment with { Credentials = new ProcessCredentials(999, 999, Bits(LinuxCapability.SetUid, LinuxCapability.SetGid, LinuxCapability.Kill)) };
        var alreadyIt = Fixture.Environment with { Credentials = new ProcessCredentials(33, 33, 0) };
        var otherGroup = Fixture.Environment with { Credentials = new ProcessCredentials(33, 33, 0) };
        File.WriteAllText(Fixture.ConfigPath, Config("\"user\": \"www-data\""));
        var load = (ConfigEnvironment environment) => ConfigLoader.Load(Fixture.ConfigPath, ConfigOverrides.None, environment).Errors.Select(e => e.ToString());

        Assert.That(load(capable), Is.Empty);
        Assert.That(load(alreadyIt), Is.Empty);

        File.WriteAllText(Fixture.ConfigPath, Config("\"user\": \"www-data\", \"group\": \"nogroup\""));
        Assert.That(load(otherGroup).Single(), Does.StartWith("$.worker.user: the supervisor runs as uid 33 (gid 33) without CAP_SETUID"), "another primary group is a switch too");
    }

    [TestCase("SIGTERM", StopSignal.Terminate)]
    [TestCase("SIGINT", StopSignal.Interrupt)]
    [TestCase("SIGQUIT", StopSignal.Quit)]
    [TestCase("SIGHUP", StopSignal.Hangup)]
    [TestCase("SIGUSR1", StopSignal.User1)]
    [TestCase("SIGUSR2", StopSignal.User2)]
    [TestCase("SIGWINCH", StopSignal.WindowChange)]
    public void Each_stop_signal_is_read_as_its_Linux_number(string name, StopSignal expected)
    {
        var worker = Fixture.LoadValid(Config($"\"stopSignal\": \"{name}\", \"killProcessGroup\": false")).DefaultApp().Worker;

        Assert.That((worker.StopSignal, worker.KillProcessGroup), Is.EqualTo((expected, false)));
        Assert.That((int)worker.StopSignal, Is.EqualTo(Cluster.Supervisor.Processes.PosixSignals.Number(name)));
    }

    [TestCase("\"SIGKILL\"", "got a string (\"SIGKILL\")")]
    [TestCase("\"INT\"", "got a string (\"INT\")")]
    [TestCase("15", "got a number (15)")]
    public void Another_stop_signal_is_refused_with_the_allowed_ones(string value, string got) =>
        Assert.That(
            Fixture.OnlyError(Config($"\"stopSignal\": {value}")),
            Does.StartWith($"$.worker.stopSignal: expected one of \"SIGTERM\", \"SIGINT\", \"SIGQUIT\", \"SIGHUP\", \"SIGUSR1\", \"SIGUSR2\", \"SIGWINCH\", {got}"));

    [Test]
    public void A_new_user_stop_signal_or_process_group_setting_is_applied_by_a_rolling_reload()
    {
        var running = Fixture.LoadValid(Config("\"user\": \"nobody\""));
        var loaded = Fixture.LoadValid(Config("\"user\": \"www-data\", \"group\": \"nogroup\", \"stopSignal\": \"SIGQUIT\", \"killProcessGroup\": false"));

        var changes = ConfigChanges.Between(running, loaded);

        Assert.That(changes.Applied, Is.EquivalentTo(new[]
        {
            "worker.user nobody -> www-data (rolling reload)",
            "worker.group (none) -> nogroup (rolling reload)",
            "worker.stopSignal SIGTERM -> SIGQUIT (rolling reload)",
            "worker.killProcessGroup true -> false (rolling reload)",
        }));
        Assert.That(ConfigChanges.Between(running.DefaultApp(), loaded.DefaultApp()).WorkerProgramChanged, Is.True);
    }
}
