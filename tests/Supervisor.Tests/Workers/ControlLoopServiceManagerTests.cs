using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>What the control loop tells systemd (READY, RELOADING, STOPPING, STATUS, WATCHDOG), and when.</summary>
public sealed class ControlLoopServiceManagerTests
{

    [Test]
    public async Task READY_comes_once_every_worker_of_the_first_generation_is_ready()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.SnapshotAsync();
        Assert.That(harness.Notifier.Sent, Is.EqualTo(new[] { "STATUS=starting: 0 of 2 workers ready" }));

        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        await harness.SnapshotAsync();
        Assert.That(harness.Notifier.States, Is.Empty, "READY=1 with a worker still starting");

        harness.Readiness.MarkReady(harness.Launcher.Latest(1).Port);
        await harness.SnapshotAsync();
        Assert.That(harness.Notifier.Sent, Is.EqualTo(new[]
        {
            "STATUS=starting: 0 of 2 workers ready",
            "STATUS=starting: 1 of 2 workers ready",
            "READY=1: 2 of 2 workers ready",
        }));
    }

    [Test]
    public async Task A_crash_looping_slot_holds_READY_back_only_until_its_first_start_has_failed()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.SnapshotAsync();
        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        await harness.SnapshotAsync();

        harness.Launcher.Latest(1).Exit(1);
        await harness.SnapshotAsync();
        Assert.That(harness.Notifier.States, Is.EqualTo(new[] { "READY=1: 1 of 2 workers ready" }));

        for (var round = 0; round < 3; round++)
        {
            await harness.AdvanceAsync(TimeSpan.FromSeconds(30));
            harness.Launcher.Latest(1).Exit(1);
        }

        await harness.SnapshotAsync();
        Assert.That(harness.Notifier.States, Has.Count.EqualTo(1), "READY=1 is sent once");
        Assert.That(harness.Notifier.Sent[^1], Is.EqualTo("READY=1: 1 of 2 workers ready"), "the ready count did not change");
    }

    [Test]
    public async Task A_slot_that_never_gets_ready_holds_READY_back_until_its_readiness_timeout_stopped_it()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2, readinessTimeout: TimeSpan.FromSeconds(5)));
        await harness.SnapshotAsync();
        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        var silent = harness.Launcher.Latest(1);

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(4999));
        Assert.That(harness.Notifier.States, Is.Empty);

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.That(silent.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        silent.Exit(128 + PosixSignals.SIGTERM);
        await harness.SnapshotAsync();

        Assert.That(harness.Notifier.States, Is.EqualTo(new[] { "READY=1: 1 of 2 workers ready" }));
    }

    [Test]
    public async Task With_no_worker_ever_ready_READY_is_never_sent_and_the_status_says_so()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        for (var round = 0; round < 4; round++)
        {
            await harness.SnapshotAsync();
            harness.Launcher.Latest(0).Exit(1);
            await harness.AdvanceAsync(TimeSpan.FromSeconds(30));
        }

        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(5));
        Assert.That(harness.Notifier.States, Is.Empty);
        Assert.That(harness.Notifier.Sent, Is.EqualTo(new[] { "STATUS=starting: 0 of 1 workers ready" }));
    }

    [Test]
    public async Task A_rolling_reload_is_bracketed_by_RELOADING_and_READY_and_a_stop_sends_STOPPING_in_that_order()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        var originals = harness.Launcher.Launched.ToList();
        harness.ConfigSource.Next = ConfigLoadResult.Valid(harness.Config.WithApp(a => a with { Worker = a.Worker with { Args = ["--version", "2"] } }));

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.SnapshotAsync();
        Assert.That(harness.Notifier.States, Is.EqualTo(new[] { "READY=1: 2 of 2 workers ready", "RELOADING=1: reloading (SIGHUP): 2 of 2 workers ready" }));

        for (var slot = 0; slot < 2; slot++)
        {
            Assert.That(harness.Notifier.States, Has.Count.EqualTo(2), $"READY=1 before slot {slot} was replaced");
            harness.Readiness.MarkReady(harness.Launcher.Launched[^1].Port);
            await harness.SnapshotAsync();
            harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, slot, originals[slot].Pid, originals[slot].Port));
            await harness.SnapshotAsync();
            originals[slot].Exit(0);
            await harness.SnapshotAsync();
        }

        Assert.That(harness.Notifier.States[^1], Is.EqualTo("READY=1: reload committed: generation 2; 2 of 2 workers ready"));
        await harness.StopAndDrainAsync();

        Assert.That(harness.Notifier.States, Is.EqualTo(new[]
        {
            "READY=1: 2 of 2 workers ready",
            "RELOADING=1: reloading (SIGHUP): 2 of 2 workers ready",
            "READY=1: reload committed: generation 2; 2 of 2 workers ready",
            "STOPPING=1: stopping (SIGTERM): finishing in-flight requests (up to 30s)",
        }));
        Assert.That(harness.Notifier.Sent[^1], Is.EqualTo("STATUS=stopping: 2 worker(s) left"));
    }

    [Test]
    public async Task A_reload_that_restarts_nothing_or_is_refused_still_answers_RELOADING_then_READY()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.SnapshotAsync();
        harness.ConfigSource.Next = ConfigLoadResult.Invalid([new ConfigError("$.workers", "expected \"auto\" or an integer from 1 to 1024, got a number (0)")]);
        var refused = await harness.RequestAsync(reply => new ReloadRequested(reply));

        Assert.That((await refused.WaitAsync(Waits.Patience)).Ok, Is.False);
        Assert.That(harness.Notifier.States, Is.EqualTo(new[]
        {
            "READY=1: 1 of 1 workers ready",
            "RELOADING=1: reloading (SIGHUP): 1 of 1 workers ready",
            "READY=1: reload committed: generation 2; 1 of 1 workers ready",
            "RELOADING=1: reloading (supervisor reload): 1 of 1 workers ready",
            "READY=1: reload refused: the config is invalid; 1 of 1 workers ready",
        }));
    }

    [Test]
    public async Task A_SIGHUP_during_a_rolling_reload_does_not_end_it_early()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();
        var original = harness.Launcher.Latest(0);
        harness.ConfigSource.Next = ConfigLoadResult.Valid(harness.Config.WithApp(a => a with { Worker = a.Worker with { Args = ["--version", "2"] } }));
        var reload = await harness.RequestAsync(reply => new ReloadRequested(reply));

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.SnapshotAsync();
        Assert.That(harness.Notifier.States, Has.Count.EqualTo(2), "a refused SIGHUP must not send READY=1 in the middle of a reload");

        harness.Readiness.MarkReady(harness.Launcher.Launched[^1].Port);
        Assert.That((await reload.WaitAsync(Waits.Patience)).Ok, Is.True);
        await harness.SnapshotAsync();
        Assert.That(harness.Notifier.States, Is.EqualTo(new[]
        {
            "READY=1: 1 of 1 workers ready",
            "RELOADING=1: reloading (supervisor reload): 1 of 1 workers ready",
            "READY=1: reload committed: generation 2; 1 of 1 workers ready",
        }));
        Assert.That(original.Signals, Is.Empty, "the old worker is still draining");
    }

    [Test]
    public async Task A_reload_before_start_up_has_settled_sends_no_RELOADING_and_a_stop_sends_STOPPING_without_READY()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        harness.Loop.Post(new SignalReceived(PosixSignals.SIGHUP));
        await harness.SnapshotAsync();
        Assert.That(harness.Notifier.States, Is.Empty);

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGTERM));
        await harness.SnapshotAsync();

        Assert.That(harness.Notifier.States, Is.EqualTo(new[] { "STOPPING=1: stopping (SIGTERM): finishing in-flight requests (up to 30s)" }));
    }

    [Test]
    public async Task Watchdog_pings_come_from_the_loop_every_half_watchdog_timeout_until_it_ends()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1), h => h.Notifier.WatchdogInterval = TimeSpan.FromSeconds(10));
        await harness.AllReadyAsync();

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(4999));
        Assert.That(harness.Notifier.WatchdogPings, Is.Zero);
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.That(harness.Notifier.WatchdogPings, Is.EqualTo(1));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.That(harness.Notifier.WatchdogPings, Is.EqualTo(4));

        await harness.StopAndDrainAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.That(harness.Notifier.WatchdogPings, Is.EqualTo(5), "the loop keeps pinging while it stops its workers");
        harness.Launcher.Latest(0).Exit(0);
        await harness.Completion.WaitAsync(Waits.Patience);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(harness.Notifier.WatchdogPings, Is.EqualTo(5), "pings after the loop ended");
        Assert.That(harness.Time.UndisposedTimers, Is.Zero, "timers the loop did not dispose");
    }

    [Test]
    public async Task Without_a_watchdog_timeout_there_are_no_pings()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();

        await harness.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.That(harness.Notifier.WatchdogPings, Is.Zero);
    }
}
