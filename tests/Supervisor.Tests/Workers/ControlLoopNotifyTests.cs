using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>readiness.notify: READY=1, STATUS=, and the watchdog (WATCHDOG_USEC=, WATCHDOG=1, WATCHDOG=trigger).</summary>
public sealed class ControlLoopNotifyTests
{
    private static LoopHarness NotifyHarness(int workers = 1) =>
        new(TestConfigs.Create(workers: workers, readinessTimeout: TimeSpan.FromSeconds(5)) is var config
            ? config.WithApp(a => a with { Worker = a.Worker with { Readiness = a.Worker.Readiness with { Notify = true } } })
            : throw new InvalidOperationException());

    [Test]
    public async Task A_worker_is_ready_on_its_READY_1_and_not_on_its_port()
    {
        await using var harness = NotifyHarness();
        await harness.SnapshotAsync();
        var process = harness.Launcher.Latest(0);
        var channel = harness.NotifySockets.Opened.Single();

        harness.Readiness.MarkReady(process.Port);
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Starting), "the port answering is not readiness here");
        Assert.That(harness.Launcher.NotifySockets, Is.EqualTo(new[] { channel.Path }));

        harness.NotifySockets.Send(0, "READY=1\nSTATUS=warming caches");
        var worker = await harness.WorkerAsync(0);

        Assert.That(worker.State, Is.EqualTo(WorkerState.Ready));
        Assert.That(worker.NotifiedStatus, Is.EqualTo("warming caches"));
        Assert.That(harness.Log.Contains("Starting -> Ready: READY=1 on its notify socket passed"), Is.True, harness.Log.Text);
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EqualTo(new[] { process.Pid }));
    }

    [Test]
    public async Task A_worker_that_never_sends_READY_1_is_stopped_at_the_readiness_timeout_and_restarted_with_a_new_socket()
    {
        await using var harness = NotifyHarness();
        await harness.SnapshotAsync();
        var first = harness.Launcher.Latest(0);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.That(first.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Log.Contains("Starting -> Stopping: not ready within 5s (READY=1 on its notify socket); counted as a failed start"), Is.True, harness.Log.Text);

        first.Exit(0);
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Backoff));
        Assert.That(harness.NotifySockets.Opened[0].Disposed, Is.True, "the exited process's socket is closed");

        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.That(harness.NotifySockets.Opened, Has.Count.EqualTo(2));
        Assert.That(harness.Launcher.NotifySockets[1], Is.EqualTo(harness.NotifySockets.Opened[1].Path));
    }

    [Test]
    public async Task A_READY_1_from_a_process_that_has_since_been_replaced_is_ignored()
    {
        await using var harness = NotifyHarness();
        await harness.SnapshotAsync();
        var stale = harness.NotifySockets.Opened[0];
        harness.Launcher.Latest(0).Exit(1);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.That(harness.NotifySockets.Opened, Has.Count.EqualTo(2));

        // A datagram still queued for the old socket arrives after the restart.
        stale.DeliverLate("READY=1");
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Starting));
        Assert.That(stale.Disposed, Is.True);
    }

    [Test]
    public async Task A_notify_socket_that_cannot_be_made_is_a_failed_start()
    {
        await using var harness = new LoopHarness(
            TestConfigs.Create(workers: 1) is var config ? config.WithApp(a => a with { Worker = a.Worker with { Readiness = a.Worker.Readiness with { Notify = true } } }) : null!,
            h => h.NotifySockets.FailToOpen = true);
        var worker = await harness.WorkerAsync(0);

        Assert.That(worker.State, Is.EqualTo(WorkerState.Backoff));
        Assert.That(harness.Launcher.Launched, Is.Empty);
        Assert.That(harness.Log.Contains("Starting -> Exited: could not be started: cannot create the notify socket"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task Missed_watchdog_pings_count_as_failed_health_checks_and_a_ping_makes_it_healthy_again()
    {
        await using var harness = NotifyHarness();
        await harness.SnapshotAsync();
        var process = harness.Launcher.Latest(0);
        harness.NotifySockets.Send(0, "READY=1\nWATCHDOG_USEC=2000000");
        await harness.SnapshotAsync();
        Assert.That(harness.Log.Contains("declared a watchdog: WATCHDOG=1 at least every 2s"), Is.True, harness.Log.Text);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(1.9));
        harness.NotifySockets.Send(0, "WATCHDOG=1");
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1.9));
        Assert.That(harness.Log.Contains("no WATCHDOG=1"), Is.False, "a ping in time re-arms the watchdog");

        await harness.AdvanceAsync(TimeSpan.FromSeconds(0.2));
        Assert.That(harness.Log.Contains($"worker 0 [pid {process.Pid}] health check failed (1 in a row): no WATCHDOG=1 within its WATCHDOG_USEC (2s)"), Is.True, harness.Log.Text);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Unhealthy));
        Assert.That(harness.FrontEnd.Current, Is.Empty);

        harness.NotifySockets.Send(0, "WATCHDOG=1");
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Ready));
        Assert.That(harness.Log.Contains("Unhealthy -> Ready: WATCHDOG=1 again; back in rotation"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task A_worker_whose_watchdog_stays_silent_is_restarted_at_the_restart_threshold()
    {
        await using var harness = NotifyHarness();
        await harness.SnapshotAsync();
        var process = harness.Launcher.Latest(0);
        harness.NotifySockets.Send(0, "READY=1\nWATCHDOG_USEC=1000000");
        await harness.SnapshotAsync();

        for (var second = 0; second < 4; second++)
        {
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.That(process.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Log.Contains("Unhealthy -> Stopping: still unhealthy after 4 failed health checks (no WATCHDOG=1 within its WATCHDOG_USEC (1s)); restarting it"), Is.True, harness.Log.Text);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.That(harness.Log.Contains("health check failed (5 in a row)"), Is.False, "no watchdog counting while it stops");
    }

    [Test]
    public async Task Pings_without_a_declared_watchdog_arm_nothing_and_a_trigger_restarts_the_worker()
    {
        await using var harness = NotifyHarness();
        await harness.SnapshotAsync();
        var process = harness.Launcher.Latest(0);
        harness.NotifySockets.Send(0, "READY=1\nWATCHDOG=1");
        await harness.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.That(harness.Log.Contains("health check failed"), Is.False);

        harness.NotifySockets.Send(0, "WATCHDOG=trigger");
        await harness.SnapshotAsync();

        Assert.That(process.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Log.Contains("Ready -> Stopping: it asked to be restarted (WATCHDOG=trigger)"), Is.True, harness.Log.Text);
    }
}
