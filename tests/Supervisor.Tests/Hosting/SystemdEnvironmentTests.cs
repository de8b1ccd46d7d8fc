using Cluster.Supervisor.Hosting.Systemd;

namespace Cluster.Supervisor.Tests.Hosting;

/// <summary>Reading NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID as sd_notify(3) and sd_watchdog_enabled(3) do.</summary>
public sealed class SystemdEnvironmentTests
{
    private const int OwnPid = 4242;

    [Test]
    public void Nothing_set_means_no_notifications()
    {
        Assert.That(Read(), Is.SameAs(SystemdEnvironment.None));
        Assert.That(Read(("WATCHDOG_USEC", "30000000")).NotifySocket, Is.Null, "a watchdog needs a socket to ping");
    }

    [TestCase("/run/systemd/notify")]
    [TestCase("@/org/freedesktop/systemd1/notify/123")]
    public void A_path_or_an_abstract_name_is_taken(string socket)
    {
        var read = Read(("NOTIFY_SOCKET", socket));

        Assert.That(read.NotifySocket, Is.EqualTo(socket));
        Assert.That(read.WatchdogTimeout, Is.Null);
        Assert.That(read.Problems, Is.Empty);
    }

    [TestCase("vsock:2:1234")]
    [TestCase("relative.sock")]
    [TestCase("@")]
    public void Another_kind_of_address_is_a_problem_and_turns_notifications_off(string socket)
    {
        var read = Read(("NOTIFY_SOCKET", socket));

        Assert.That(read.NotifySocket, Is.Null);
        Assert.That(read.Problems, Is.EqualTo(new[] { $"NOTIFY_SOCKET={socket}: not a socket path or an abstract socket name (@...); notifications are off" }));
    }

    [Test]
    public void The_watchdog_is_on_with_WATCHDOG_USEC_when_WATCHDOG_PID_is_unset_or_names_this_process()
    {
        Assert.That(Read(("NOTIFY_SOCKET", "/run/n"), ("WATCHDOG_USEC", "30000000")).WatchdogTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(Read(("NOTIFY_SOCKET", "/run/n"), ("WATCHDOG_USEC", "1500"), ("WATCHDOG_PID", "4242")).WatchdogTimeout, Is.EqualTo(TimeSpan.FromMicroseconds(1500)));
    }

    [Test]
    public void A_WATCHDOG_PID_of_another_process_turns_the_watchdog_off_quietly()
    {
        var read = Read(("NOTIFY_SOCKET", "/run/n"), ("WATCHDOG_USEC", "30000000"), ("WATCHDOG_PID", "1"));

        Assert.That(read.NotifySocket, Is.EqualTo("/run/n"));
        Assert.That(read.WatchdogTimeout, Is.Null);
        Assert.That(read.Problems, Is.Empty);
    }

    [TestCase("0")]
    [TestCase("-5")]
    [TestCase("30s")]
    public void A_WATCHDOG_USEC_that_is_not_a_positive_count_is_a_problem(string usec)
    {
        var read = Read(("NOTIFY_SOCKET", "/run/n"), ("WATCHDOG_USEC", usec));

        Assert.That(read.WatchdogTimeout, Is.Null);
        Assert.That(read.Problems, Is.EqualTo(new[] { $"WATCHDOG_USEC={usec}: not a positive number of microseconds; no watchdog pings" }));
    }

    [Test]
    public void Taking_the_variables_removes_them_from_the_environment_workers_inherit()
    {
        string[] names = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"];
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", "/run/test-notify");
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", "2000000");
            Environment.SetEnvironmentVariable("WATCHDOG_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

            var taken = SystemdEnvironment.TakeFromProcess();

            Assert.That(taken.NotifySocket, Is.EqualTo("/run/test-notify"));
            Assert.That(taken.WatchdogTimeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(names.Select(Environment.GetEnvironmentVariable), Is.All.Null);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    private static SystemdEnvironment Read(params (string Name, string Value)[] variables) =>
        SystemdEnvironment.Read(name => variables.FirstOrDefault(v => v.Name == name).Value, OwnPid);
}
