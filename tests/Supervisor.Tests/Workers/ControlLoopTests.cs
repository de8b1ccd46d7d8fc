using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Microsoft.Extensions.Logging;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Workers;

public sealed class ControlLoopTests
{
    [Test]
    public async Task Starts_one_worker_per_slot_on_distinct_ports_and_sends_no_traffic_before_readiness()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 3));

        var table = await harness.SnapshotAsync();

        Assert.That(table.Select(w => w.Id), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(table.Select(w => w.State), Is.All.EqualTo(WorkerState.Starting));
        Assert.That(harness.Launcher.Launched.Select(p => p.Port).Distinct().Count(), Is.EqualTo(3));
        Assert.That(harness.FrontEnd.Current, Is.Empty);
    }

    [Test]
    public async Task A_worker_joins_the_front_end_only_when_its_readiness_check_passes()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.SnapshotAsync();
        var first = harness.Launcher.Latest(0);

        harness.Readiness.MarkReady(first.Port);
        await harness.SnapshotAsync();

        Assert.That(harness.FrontEnd.Current, Is.EqualTo(new[] { new WorkerEndpoint(AppConfig.DefaultName, 0, first.Pid, first.Port) }));
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Ready));
        Assert.That((await harness.WorkerAsync(1)).State, Is.EqualTo(WorkerState.Starting));
    }

    [Test]
    public async Task A_crashed_worker_leaves_the_front_end_at_once_and_is_restarted_with_the_same_id_after_the_delay()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2, restartDelay: TimeSpan.FromMilliseconds(100)));
        await harness.AllReadyAsync();
        var crashed = harness.Launcher.Latest(1);
        harness.Time.Advance(TimeSpan.FromMinutes(3));

        crashed.Exit(128 + PosixSignals.SIGKILL);
        var afterCrash = await harness.WorkerAsync(1);

        Assert.That(afterCrash.State, Is.EqualTo(WorkerState.Backoff));
        Assert.That(harness.FrontEnd.Current.Select(e => e.WorkerId), Is.EqualTo(new[] { 0 }));
        Assert.That(harness.Log.Contains($"worker 1 [pid {crashed.Pid}] Ready -> Exited: killed by SIGKILL (out of memory?) after 3m00s uptime"), Is.True, string.Join('\n', harness.Log.Messages));
        Assert.That(harness.Log.Contains("Exited -> Backoff: restarting in 100ms (restart #1)"), Is.True);

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(99));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2), "restarted before the delay");

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        var replacement = harness.Launcher.Latest(1);
        Assert.That(replacement, Is.Not.SameAs(crashed));
        Assert.That(replacement.Port, Is.Not.EqualTo(crashed.Port));
        var restarted = await harness.WorkerAsync(1);
        Assert.That(restarted.State, Is.EqualTo(WorkerState.Starting));
        Assert.That(restarted.Restarts, Is.EqualTo(1));
        Assert.That(harness.FrontEnd.Current.Select(e => e.WorkerId), Is.EqualTo(new[] { 0 }), "traffic before the replacement is ready");

        harness.Readiness.MarkReady(replacement.Port);
        await harness.SnapshotAsync();
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EqualTo(new[] { harness.Launcher.Latest(0).Pid, replacement.Pid }));
    }

    [Test]
    public async Task A_worker_that_dies_before_it_is_ready_is_restarted_and_its_readiness_check_cancelled()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.SnapshotAsync();
        var process = harness.Launcher.Latest(0);

        process.Exit(1);
        var worker = await harness.WorkerAsync(0);

        Assert.That(worker.State, Is.EqualTo(WorkerState.Backoff));
        Assert.That(harness.Readiness.WasCancelled(process.Port), Is.True);
        Assert.That(harness.Log.Contains("Starting -> Exited: exited with code 1 after 0ms uptime"), Is.True, string.Join('\n', harness.Log.Messages));
    }

    [Test]
    public async Task A_worker_not_ready_within_the_readiness_timeout_is_stopped_then_restarted()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, readinessTimeout: TimeSpan.FromSeconds(5)));
        await harness.SnapshotAsync();
        var slow = harness.Launcher.Latest(0);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Stopping));
        Assert.That(slow.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Log.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("not ready within 5s (TCP connect); counted as a failed start", StringComparison.Ordinal)), Is.True, string.Join('\n', harness.Log.Messages));

        slow.Exit(128 + PosixSignals.SIGTERM);
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Backoff));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_late_readiness_result_of_a_replaced_process_does_not_mark_its_successor_ready()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        harness.Readiness.IgnoreCancellation = true;
        await harness.SnapshotAsync();
        var first = harness.Launcher.Latest(0);
        first.Exit(1);
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2));

        harness.Readiness.MarkReady(first.Port);

        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Starting));
        Assert.That(harness.FrontEnd.Current, Is.Empty);
    }

    [Test]
    public async Task A_worker_that_cannot_be_executed_is_reported_and_retried_after_the_delay()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1), h => h.Launcher.FailToStart = true);

        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Backoff));
        Assert.That(harness.Log.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("could not be started: cannot run /nope", StringComparison.Ordinal)), Is.True, string.Join('\n', harness.Log.Messages));

        Assert.That(harness.Log.Contains("Exited -> Backoff: restarting in 100ms (restart #1)"), Is.True);

        harness.Launcher.FailToStart = false;
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Starting));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Stop_drains_the_front_end_first_then_sends_SIGTERM_to_workers_and_ends_when_all_exited()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2, shutdownTimeout: TimeSpan.FromSeconds(7)));
        await harness.AllReadyAsync();

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGTERM));
        await harness.SnapshotAsync();

        Assert.That(harness.FrontEnd.StopRequestedWith, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(harness.Launcher.Launched.SelectMany(p => p.Signals), Is.Empty, "workers must keep serving in-flight requests while the front end drains");

        harness.FrontEnd.FinishDraining();
        await harness.SnapshotAsync();
        Assert.That(harness.Launcher.Launched.Select(p => p.Signals), Is.All.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Completion.IsCompleted, Is.False);

        foreach (var process in harness.Launcher.Launched)
        {
            process.Exit(0);
        }

        await harness.Completion.WaitAsync(Waits.Patience);
        Assert.That(harness.Log.Contains("Exited -> Stopped: not restarted: the supervisor is stopping"), Is.True);
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2), "nothing may be restarted during a stop");
    }

    [Test]
    public async Task Stop_cancels_pending_restarts_and_stops_starting_workers_at_once()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.SnapshotAsync();
        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        harness.Launcher.Latest(0).Exit(1);
        await harness.SnapshotAsync();

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGTERM));
        var table = await harness.SnapshotAsync();

        Assert.That(table.Select(w => (w.Id, w.State)), Is.EqualTo(new[] { (1, WorkerState.Stopping) }));
        Assert.That(harness.Launcher.Latest(1).Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2), "the cancelled restart happened anyway");
    }

    [Test]
    public async Task A_worker_that_ignores_SIGTERM_gets_SIGKILL_after_the_stop_timeout_and_the_log_says_so()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, stopTimeout: TimeSpan.FromSeconds(3)));
        await harness.AllReadyAsync();
        var stubborn = harness.Launcher.Latest(0);
        await harness.StopAndDrainAsync();

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(2999));
        Assert.That(stubborn.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.That(stubborn.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM, PosixSignals.SIGKILL }));
        Assert.That(harness.Log.Contains($"worker 0 [pid {stubborn.Pid}] did not exit within 3s of SIGTERM; sending SIGKILL"), Is.True);

        stubborn.Exit(128 + PosixSignals.SIGKILL);
        await harness.Completion.WaitAsync(Waits.Patience);
        Assert.That(harness.Log.Contains("Stopping -> Exited: killed with SIGKILL after the stop timeout"), Is.True, string.Join('\n', harness.Log.Messages));
    }

    [Test]
    public async Task A_process_that_survives_SIGKILL_is_abandoned_after_a_bounded_wait()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, stopTimeout: TimeSpan.FromSeconds(1)));
        await harness.AllReadyAsync();
        await harness.StopAndDrainAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        await harness.AdvanceAsync(ControlLoop.KillWait);

        await harness.Completion.WaitAsync(Waits.Patience);
        Assert.That(harness.Log.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("is still running 5s after SIGKILL", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task A_second_SIGINT_kills_every_worker_at_once_without_waiting_for_the_drain()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        harness.Loop.Post(new SignalReceived(PosixSignals.SIGINT));
        await harness.SnapshotAsync();

        harness.Loop.Post(new SignalReceived(PosixSignals.SIGINT));
        await harness.SnapshotAsync();

        Assert.That(harness.Launcher.Launched.Select(p => p.Signals), Is.All.EqualTo(new[] { PosixSignals.SIGKILL }));
        foreach (var process in harness.Launcher.Launched)
        {
            process.Exit(128 + PosixSignals.SIGKILL);
        }

        await harness.Completion.WaitAsync(Waits.Patience);
    }

    [Test]
    public async Task A_second_SIGTERM_while_stopping_changes_nothing()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();
        harness.Loop.Post(new SignalReceived(PosixSignals.SIGTERM));
        harness.Loop.Post(new SignalReceived(PosixSignals.SIGTERM));
        await harness.SnapshotAsync();

        Assert.That(harness.Launcher.Latest(0).Signals, Is.Empty);
        Assert.That(harness.Log.Contains("already stopping"), Is.True);
    }
}
