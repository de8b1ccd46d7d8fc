using System.Diagnostics;
using Cluster.Supervisor.Hosting.Systemd;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Hosting;

/// <summary>The real notifier against real datagram sockets, as systemd's notify socket would receive it.</summary>
public sealed class SystemdNotifierTests
{
    private TempFolder _temp = null!;

    private string Folder => _temp.Path;

    [SetUp]
    public void CreateFolder() => _temp = new TempFolder("notify");

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public async Task Messages_arrive_in_order_on_a_socket_path_each_as_one_datagram_of_KEY_VALUE_lines()
    {
        using var listener = NotifySocketListener.AtPath(Path.Combine(Folder, "notify.sock"));
        using var notifier = new SystemdNotifier(new SystemdEnvironment(listener.Address, null, []), new ListLogger());

        notifier.Ready("2 of 2 workers ready");
        var before = MonotonicMicroseconds();
        notifier.Reloading("reloading (SIGHUP): 2 of 2 workers ready");
        var after = MonotonicMicroseconds();
        notifier.Ready("2 of 2 workers ready");
        notifier.Status("a status\nover two lines");
        notifier.Watchdog();
        notifier.Stopping("stopping (SIGTERM)");

        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo("READY=1\nSTATUS=2 of 2 workers ready"));
        var reloading = (await listener.ReceiveAsync(Waits.Patience)).Split('\n');
        Assert.That(reloading[0], Is.EqualTo("RELOADING=1"));
        Assert.That(reloading[1], Does.StartWith("MONOTONIC_USEC="));
        Assert.That(long.Parse(reloading[1]["MONOTONIC_USEC=".Length..], System.Globalization.CultureInfo.InvariantCulture), Is.InRange(before, after), "MONOTONIC_USEC is not CLOCK_MONOTONIC at the time of sending");
        Assert.That(reloading[2], Is.EqualTo("STATUS=reloading (SIGHUP): 2 of 2 workers ready"));
        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo("READY=1\nSTATUS=2 of 2 workers ready"));
        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo("STATUS=a status over two lines"));
        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo("WATCHDOG=1"));
        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo("STOPPING=1\nSTATUS=stopping (SIGTERM)"));
    }

    [Test]
    public async Task After_MAINPID_of_another_process_it_is_silent_until_MAINPID_names_it_again()
    {
        using var listener = NotifySocketListener.AtPath(Path.Combine(Folder, "notify.sock"));
        using var notifier = new SystemdNotifier(new SystemdEnvironment(listener.Address, null, []), new ListLogger());

        notifier.MainPid(4242, "handing over to supervisor pid 4242");
        notifier.Stopping("stopping (upgrade)");
        notifier.Watchdog();
        notifier.MainPid(Environment.ProcessId, "1 of 1 workers ready");
        notifier.Status("back");

        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo("MAINPID=4242\nSTATUS=handing over to supervisor pid 4242"));
        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo($"MAINPID={Environment.ProcessId}\nSTATUS=1 of 1 workers ready"), "the handed-over supervisor spoke to systemd");
        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo("STATUS=back"));
    }

    [Test]
    public async Task An_abstract_socket_is_named_with_a_leading_at_sign()
    {
        using var listener = NotifySocketListener.Abstract($"cluster-test-{Guid.NewGuid():N}");
        using var notifier = new SystemdNotifier(new SystemdEnvironment(listener.Address, null, []), new ListLogger());

        notifier.Ready("1 of 1 workers ready");

        Assert.That(listener.Address, Does.StartWith("@"));
        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo("READY=1\nSTATUS=1 of 1 workers ready"));
    }

    [Test]
    public void Without_NOTIFY_SOCKET_it_does_nothing()
    {
        var log = new ListLogger();
        using var notifier = new SystemdNotifier(SystemdEnvironment.None, log);

        notifier.Ready("ready");
        notifier.Watchdog();

        Assert.That(notifier.Enabled, Is.False);
        Assert.That(notifier.WatchdogInterval, Is.Null);
        Assert.That(log.Messages, Is.Empty);
    }

    [Test]
    public async Task A_socket_nobody_listens_on_is_logged_once_never_thrown_and_recovery_is_logged()
    {
        var path = Path.Combine(Folder, "notify.sock");
        var log = new ListLogger();
        using var notifier = new SystemdNotifier(new SystemdEnvironment(path, TimeSpan.FromSeconds(30), []), log);

        notifier.Ready("ready");
        notifier.Watchdog();
        using var listener = NotifySocketListener.AtPath(path);
        notifier.Watchdog();

        Assert.That(await listener.ReceiveAsync(Waits.Patience), Is.EqualTo("WATCHDOG=1"));
        Assert.That(log.Messages.Count(m => m.StartsWith("systemd: cannot send", StringComparison.Ordinal)), Is.EqualTo(1), string.Join('\n', log.Messages));
        Assert.That(log.Messages, Has.Some.StartsWith($"systemd: cannot send \"READY=1 STATUS=ready\" to {path}: "));
        Assert.That(log.Messages, Has.Some.EqualTo($"systemd: notifications to {path} get through again"));
        Assert.That(log.Messages[0], Is.EqualTo($"systemd: notifying {path} (READY, RELOADING, STOPPING, STATUS); watchdog: WATCHDOG=1 every 15s (WatchdogSec=30s)"));
    }

    // Stopwatch reads CLOCK_MONOTONIC on Linux; the notifier reads it directly.
    private static long MonotonicMicroseconds() => (long)(Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000.0));
}
