using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>
/// reload.confirmAfter: replaced workers parked until the new generation has held; commit, rollback (by exit, health,
/// readiness), `supervisor rollback`, and what a stop or another reload does meanwhile. Manual clock, fake processes.
/// </summary>
public sealed class ControlLoopConfirmationTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private static SupervisorConfig Confirming(int workers = 2, bool keepOld = true, HealthConfig? health = null) =>
        TestConfigs.Create(workers: workers, health: health, reload: new ReloadConfig { ConfirmAfter = Window, KeepOldWorkers = keepOld });

    private static SupervisorConfig Version2(SupervisorConfig config) => config.WithApp(a => a with { Worker = a.Worker with { Args = ["--version", "2"] } });

    /// <summary>Starts a reload to version 2 and walks it through every slot: each new worker ready, each old one drained.</summary>
    private static async Task<(Task<OperationResult> Answer, List<FakeWorkerProcess> Old, List<FakeWorkerProcess> New)> ReplaceEverySlotAsync(LoopHarness harness, int slots = 2)
    {
        await harness.AllReadyAsync();
        var old = harness.Launcher.Launched.ToList();
        harness.ConfigSource.Next = ConfigLoadResult.Valid(Version2(harness.Config));
        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply));
        var fresh = new List<FakeWorkerProcess>();
        for (var slot = 0; slot < slots; slot++)
        {
            var replacement = harness.Launcher.Launched[^1];
            fresh.Add(replacement);
            harness.Readiness.MarkReady(replacement.Port);
            await harness.SnapshotAsync();
            harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, slot, old[slot].Pid, old[slot].Port));
            // With a shared socket each step of parking (the check after SIGSTOP, a retry) is posted while the loop
            // handles the one before, so one snapshot may come back before the worker is parked: wait for it, bounded
            // (a check the test holds open keeps it draining).
            for (var step = 0; step < 20 && (await StateOfAsync(harness, old[slot].Pid)) == WorkerState.Draining; step++)
            {
                await Task.Yield();
            }
        }

        return (answer, old, fresh);
    }

    [Test]
    public async Task Replaced_workers_are_parked_until_the_new_generation_has_held_then_stopped_and_the_reload_committed()
    {
        await using var harness = new LoopHarness(Confirming());
        var (answer, old, fresh) = await ReplaceEverySlotAsync(harness);

        var table = await harness.SnapshotAsync();
        Assert.That(table.Where(w => w.State == WorkerState.Parked).Select(w => w.Pid), Is.EquivalentTo(old.Select(p => (int?)p.Pid)));
        Assert.That(old.SelectMany(p => p.Signals), Is.Empty, "a parked worker is not signalled");
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EqualTo(fresh.Select(p => p.Pid)), "parked workers get no traffic");
        Assert.That(answer.IsCompleted, Is.False, "the reload answers once it is committed");
        Assert.That(harness.Log.Contains("Draining -> Parked: kept alive without traffic until the reload is confirmed"), Is.True, harness.Log.Text);
        Assert.That(harness.Log.Contains("all 2 new worker(s) of generation 2 ready; confirming for 30s (reload.confirmAfter)"), Is.True, harness.Log.Text);

        await harness.AdvanceAsync(Window - TimeSpan.FromSeconds(1));
        Assert.That(old.SelectMany(p => p.Signals), Is.Empty);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        var result = await answer.WaitAsync(Waits.Patience);

        // Answered while the event is handled: let the loop finish it (the publish comes after).

        await harness.SnapshotAsync();
        Assert.That(result.Ok, Is.True, result.Message);
        Assert.That(result.Message, Does.EndWith("confirmed after 30s without a failure; generation 2 committed"));
        Assert.That(old.Select(p => p.Signals), Is.All.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Log.Contains("Parked -> Stopping: the reload to generation 2 is committed"), Is.True, harness.Log.Text);
        var status = (await harness.StatusAsync())!;
        Assert.That(status.LastReload!.Result, Is.EqualTo(ReloadResult.Committed));
        Assert.That(status.Reloads[ReloadResult.Committed], Is.EqualTo(1));
        Assert.That(status.Generation, Is.EqualTo(2));
    }

    [Test]
    public async Task A_new_worker_that_exits_in_the_window_rolls_the_reload_back_and_the_old_workers_serve_again_with_the_old_config()
    {
        await using var harness = new LoopHarness(Confirming());
        var (answer, old, fresh) = await ReplaceEverySlotAsync(harness);
        var publishedBefore = harness.FrontEnd.History.Count;
        fresh[1].Output.AddRange(["err| reading settings", "err| KeyNotFoundException: DATABASE_URL"]);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));
        fresh[1].Exit(70);
        var result = await answer.WaitAsync(Waits.Patience);
        // Answered while the event is handled: let the loop finish it (the publish comes after).
        await harness.SnapshotAsync();

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Message, Does.StartWith($"reload rolled back: the new worker 1 (pid {fresh[1].Pid}) exited with code 70 after 2s uptime; generation 1 is in force again; the old workers serve again: 0 (pid {old[0].Pid}), 1 (pid {old[1].Pid})"));
        Assert.That(result.Details, Is.EqualTo(new[] { "err| reading settings", "err| KeyNotFoundException: DATABASE_URL" }));
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EquivalentTo(old.Select(p => p.Pid)));
        Assert.That(harness.FrontEnd.History.Skip(publishedBefore).Select(list => list.Count), Is.All.GreaterThanOrEqualTo(1), "the old workers came back in the same update that took the new ones out");
        Assert.That(harness.FrontEnd.History[publishedBefore].Select(e => e.Pid), Is.EquivalentTo(old.Select(p => p.Pid)));
        Assert.That(old.SelectMany(p => p.Signals), Is.Empty);
        Assert.That(harness.Log.Contains("Parked -> Ready: the reload to generation 2 is rolled back; back in rotation"), Is.True, harness.Log.Text);

        // The surviving new worker drains and is stopped; the dead one is not restarted.
        harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, 0, fresh[0].Pid, fresh[0].Port));
        await harness.SnapshotAsync();
        Assert.That(fresh[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        fresh[0].Exit(0);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(4), "nothing restarted");

        var status = (await harness.StatusAsync())!;
        Assert.That(status.Generation, Is.EqualTo(1));
        Assert.That(status.Config.DefaultApp().Worker.Args, Is.Empty, "the previous config is the running one again");
        Assert.That(status.Workers.Select(w => (w.Pid, w.State)), Is.EquivalentTo(old.Select(p => ((int?)p.Pid, WorkerState.Ready))));
        Assert.That(status.LastReload!.Result, Is.EqualTo(ReloadResult.RolledBack));
        Assert.That(status.Reloads[ReloadResult.RolledBack], Is.EqualTo(1));

        // A worker that exits now restarts with the previous config.
        old[0].Exit(1);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.That(harness.Launcher.Configs[^1].Args, Is.Empty);
    }

    [Test]
    public async Task A_new_worker_that_becomes_unhealthy_in_the_window_rolls_the_reload_back()
    {
        var health = new HealthConfig { HttpPath = "/healthz", Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(2), UnhealthyThreshold = 1, RestartThreshold = 3 };
        await using var harness = new LoopHarness(Confirming(workers: 1, health: health));
        var (answer, old, fresh) = await ReplaceEverySlotAsync(harness, slots: 1);

        await harness.AdvanceAsync(health.Interval);
        Assert.That(harness.Health.Answer(fresh[0].Port, HealthCheckResult.Fail("503 from /healthz")), Is.True);
        var result = await answer.WaitAsync(Waits.Patience);
        // Answered while the event is handled: let the loop finish it (the publish comes after).
        await harness.SnapshotAsync();

        Assert.That(result.Message, Does.StartWith($"reload rolled back: the new worker 0 (pid {fresh[0].Pid}) became unhealthy: 1 failed health checks in a row (503 from /healthz)"));
        Assert.That(fresh[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EqualTo(new[] { old[0].Pid }));
    }

    [Test]
    public async Task A_new_worker_that_is_never_ready_rolls_back_the_slots_already_replaced()
    {
        await using var harness = new LoopHarness(Confirming());
        await harness.AllReadyAsync();
        var old = harness.Launcher.Launched.ToList();
        harness.ConfigSource.Next = ConfigLoadResult.Valid(Version2(harness.Config));
        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply));
        harness.Readiness.MarkReady(harness.Launcher.Launched[^1].Port);
        await harness.SnapshotAsync();
        harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, 0, old[0].Pid, old[0].Port));
        await harness.SnapshotAsync();
        var stuck = harness.Launcher.Launched[^1];

        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.That(stuck.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }), "not ready within worker.readiness.timeout");
        stuck.Exit(0);
        var result = await answer.WaitAsync(Waits.Patience);
        // Answered while the event is handled: let the loop finish it (the publish comes after).
        await harness.SnapshotAsync();

        Assert.That(result.Message, Does.StartWith($"reload rolled back: the new worker 1 (pid {stuck.Pid})"));
        Assert.That(result.Message, Does.Contain($"the old workers serve again: 0 (pid {old[0].Pid}); never replaced, still serving: 1 (pid {old[1].Pid})"));
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EquivalentTo(old.Select(p => p.Pid)), "slot 1's old worker never left");
    }

    [Test]
    public async Task A_first_new_worker_that_dies_before_it_is_ready_rolls_back_and_says_the_old_ones_never_left()
    {
        await using var harness = new LoopHarness(Confirming());
        await harness.AllReadyAsync();
        var old = harness.Launcher.Launched.ToList();
        harness.ConfigSource.Next = ConfigLoadResult.Valid(Version2(harness.Config));
        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply));

        harness.Launcher.Launched[^1].Exit(70);
        var result = await answer.WaitAsync(Waits.Patience);
        await harness.SnapshotAsync();

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Message, Does.Contain($"the old workers still serve, never replaced: 0 (pid {old[0].Pid})"));
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EquivalentTo(old.Select(p => p.Pid)));
        Assert.That(old.SelectMany(p => p.Signals), Is.Empty, "no old worker was touched");
    }

    [Test]
    public async Task A_stop_in_the_window_stops_the_parked_workers_too_and_ends_the_reload()
    {
        await using var harness = new LoopHarness(Confirming());
        var (answer, old, fresh) = await ReplaceEverySlotAsync(harness);

        await harness.StopAndDrainAsync();

        Assert.That((await answer.WaitAsync(Waits.Patience)).Message, Is.EqualTo("reload interrupted: the supervisor is stopping"));
        Assert.That(old.Concat(fresh).Select(p => p.Signals), Is.All.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Log.Contains("Parked -> Stopping: the supervisor is stopping"), Is.True, harness.Log.Text);
        foreach (var process in old.Concat(fresh))
        {
            process.Exit(0);
        }

        await harness.Completion.WaitAsync(Waits.Patience);
    }

    [Test]
    public async Task A_second_reload_or_a_scale_in_the_window_is_refused_and_counted()
    {
        await using var harness = new LoopHarness(Confirming());
        await ReplaceEverySlotAsync(harness);

        var second = await (await harness.RequestAsync(reply => new ReloadRequested(reply))).WaitAsync(Waits.Patience);
        var scale = await (await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(3, Relative: false), reply))).WaitAsync(Waits.Patience);

        Assert.That(second.Message, Does.StartWith("reload refused: a rolling reload (supervisor reload) is confirming generation 2 until "));
        Assert.That(second.Message, Does.EndWith("(reload.confirmAfter 30s)"));
        Assert.That(scale.Ok, Is.False);
        var status = (await harness.StatusAsync())!;
        Assert.That(status.Reloads[ReloadResult.Refused], Is.EqualTo(1));
        Assert.That(status.Workers.Count(w => w.State == WorkerState.Parked), Is.EqualTo(2));
    }

    [Test]
    public async Task Supervisor_rollback_reapplies_the_previous_config_as_a_rolling_reload_and_twice_goes_forward_again()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        var none = await (await harness.RequestAsync(reply => new RollbackRequested(reply))).WaitAsync(Waits.Patience);
        Assert.That(none.Message, Is.EqualTo("rollback refused: generation 1 is the first this supervisor has run; there is no previous config to go back to"));

        await harness.AllReadyAsync();
        harness.ConfigSource.Next = ConfigLoadResult.Valid(Version2(harness.Config));
        var reload = await harness.RequestAsync(reply => new ReloadRequested(reply));
        harness.Readiness.MarkReady(harness.Launcher.Launched[^1].Port);
        Assert.That((await reload.WaitAsync(Waits.Patience)).Ok, Is.True);

        var back = await harness.RequestAsync(reply => new RollbackRequested(reply));
        Assert.That(harness.Launcher.Configs[^1].Args, Is.Empty, "the previous config, from memory (the config file still says version 2)");
        harness.Readiness.MarkReady(harness.Launcher.Launched[^1].Port);
        var result = await back.WaitAsync(Waits.Patience);
        // Answered while the event is handled: let the loop finish it (the publish comes after).
        await harness.SnapshotAsync();
        Assert.That(result.Ok, Is.True, result.Message);
        Assert.That(harness.Log.Contains("rolling back to generation 1's config (kept in memory) from generation 2"), Is.True, harness.Log.Text);
        Assert.That((await harness.StatusAsync())!.Generation, Is.EqualTo(3));

        var forward = await harness.RequestAsync(reply => new RollbackRequested(reply));
        harness.Readiness.MarkReady(harness.Launcher.Launched[^1].Port);
        Assert.That((await forward.WaitAsync(Waits.Patience)).Ok, Is.True);
        Assert.That(harness.Launcher.Configs[^1].Args, Is.EqualTo(new[] { "--version", "2" }));
    }

    [Test]
    public async Task With_a_shared_socket_a_parked_worker_is_SIGSTOPped_and_SIGCONT_brings_it_back_on_rollback()
    {
        await using var harness = new LoopHarness(Confirming(workers: 1) with { FrontEnd = FrontEndMode.SharedSocket }, h => h.FrontEnd.ReachableOutOfRotation = true);
        var (answer, old, fresh) = await ReplaceEverySlotAsync(harness, slots: 1);

        Assert.That(old[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGSTOP }), "parked once it held no client connection");
        Assert.That(harness.Log.Contains("SIGSTOP: it accepts nothing from the shared socket meanwhile"), Is.True, harness.Log.Text);

        fresh[0].Exit(70);
        var result = await answer.WaitAsync(Waits.Patience);
        // Answered while the event is handled: let the loop finish it (the publish comes after).
        await harness.SnapshotAsync();

        Assert.That(result.Ok, Is.False);
        Assert.That(old[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGSTOP, PosixSignals.SIGCONT }));
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Ready));
    }

    [Test]
    public async Task With_a_shared_socket_a_worker_that_took_a_connection_as_SIGSTOP_landed_runs_on_and_is_parked_once_idle()
    {
        await using var harness = new LoopHarness(Confirming(workers: 1) with { FrontEnd = FrontEndMode.SharedSocket }, h =>
        {
            h.FrontEnd.ReachableOutOfRotation = true;
            h.FrontEnd.HeldWhenStopped.Enqueue(2);
            h.FrontEnd.HeldWhenStopped.Enqueue(null);
        });
        var (answer, old, _) = await ReplaceEverySlotAsync(harness, slots: 1);

        // Checked three times: 2 connections held, threads not all stopped, then nothing held.
        Assert.That(old[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGSTOP, PosixSignals.SIGCONT, PosixSignals.SIGSTOP, PosixSignals.SIGCONT, PosixSignals.SIGSTOP }));
        Assert.That(harness.Log.Contains("not parked yet: it had accepted 2 client connection(s) by the time SIGSTOP took effect; SIGCONT"), Is.True, harness.Log.Text);
        Assert.That(harness.Log.Contains("not parked yet: its threads did not all stop within a second of SIGSTOP"), Is.True, harness.Log.Text);
        Assert.That(await StateOfAsync(harness, old[0].Pid), Is.EqualTo(WorkerState.Parked));
        Assert.That(answer.IsCompleted, Is.False);
    }

    [Test]
    public async Task With_a_shared_socket_a_rollback_while_a_stopped_worker_is_being_checked_wakes_it_and_the_late_check_is_ignored()
    {
        var check = new TaskCompletionSource<long?>();
        await using var harness = new LoopHarness(Confirming(workers: 1) with { FrontEnd = FrontEndMode.SharedSocket }, h =>
        {
            h.FrontEnd.ReachableOutOfRotation = true;
            h.FrontEnd.PendingStopCheck = check;
        });
        var (answer, old, fresh) = await ReplaceEverySlotAsync(harness, slots: 1);
        Assert.That(old[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGSTOP }));
        Assert.That(await StateOfAsync(harness, old[0].Pid), Is.EqualTo(WorkerState.Draining), "parked only once its connections are counted");

        fresh[0].Exit(70);
        Assert.That((await answer.WaitAsync(Waits.Patience)).Ok, Is.False);
        await harness.SnapshotAsync();
        Assert.That(old[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGSTOP, PosixSignals.SIGCONT }), "woken by the rollback");
        Assert.That(await StateOfAsync(harness, old[0].Pid), Is.EqualTo(WorkerState.Ready));

        check.SetResult(0);
        await harness.SnapshotAsync();
        Assert.That(old[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGSTOP, PosixSignals.SIGCONT }), "the late check changes nothing");
        Assert.That(await StateOfAsync(harness, old[0].Pid), Is.EqualTo(WorkerState.Ready));
    }

    [Test]
    public async Task With_a_shared_socket_a_stop_while_a_stopped_worker_is_being_checked_sends_SIGTERM_then_SIGCONT()
    {
        await using var harness = new LoopHarness(Confirming(workers: 1) with { FrontEnd = FrontEndMode.SharedSocket }, h =>
        {
            h.FrontEnd.ReachableOutOfRotation = true;
            h.FrontEnd.PendingStopCheck = new TaskCompletionSource<long?>();
        });
        var (_, old, _) = await ReplaceEverySlotAsync(harness, slots: 1);

        await harness.StopAndDrainAsync();

        Assert.That(old[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGSTOP, PosixSignals.SIGTERM, PosixSignals.SIGCONT }));
    }

    [Test]
    public async Task With_a_shared_socket_a_commit_wakes_the_parked_worker_to_take_its_SIGTERM()
    {
        await using var harness = new LoopHarness(Confirming(workers: 1) with { FrontEnd = FrontEndMode.SharedSocket }, h => h.FrontEnd.ReachableOutOfRotation = true);
        var (answer, old, _) = await ReplaceEverySlotAsync(harness, slots: 1);

        await harness.AdvanceAsync(Window);

        Assert.That((await answer.WaitAsync(Waits.Patience)).Ok, Is.True);
        Assert.That(old[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGSTOP, PosixSignals.SIGTERM, PosixSignals.SIGCONT }));
    }

    [Test]
    public async Task Without_kept_workers_the_old_ones_stop_at_once_and_a_rollback_starts_the_previous_config_anew()
    {
        await using var harness = new LoopHarness(Confirming(workers: 1, keepOld: false));
        var (answer, old, fresh) = await ReplaceEverySlotAsync(harness, slots: 1);
        Assert.That(old[0].Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }), "drained and stopped, as with no window");
        old[0].Exit(0);
        await harness.SnapshotAsync();

        fresh[0].Exit(70);
        var result = await answer.WaitAsync(Waits.Patience);
        // Answered while the event is handled: let the loop finish it (the publish comes after).
        await harness.SnapshotAsync();

        Assert.That(result.Message, Does.Contain("reload.keepOldWorkers is false, so the previous config is being started again, from the files on disk"));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.That(harness.Launcher.Configs[^1].Args, Is.Empty, "the slot restarts with the previous config");
    }

    [Test]
    public async Task A_parked_worker_that_dies_is_replaced_by_the_previous_config_on_rollback()
    {
        await using var harness = new LoopHarness(Confirming(workers: 1));
        var (answer, old, fresh) = await ReplaceEverySlotAsync(harness, slots: 1);
        old[0].Exit(137);
        await harness.SnapshotAsync();
        Assert.That(harness.Log.Contains($"[pid {old[0].Pid}] Parked -> Exited"), Is.True, harness.Log.Text);

        fresh[0].Exit(70);
        var result = await answer.WaitAsync(Waits.Patience);
        // Answered while the event is handled: let the loop finish it (the publish comes after).
        await harness.SnapshotAsync();

        Assert.That(result.Message, Does.Contain("no old worker was parked to return"));
        var restarted = harness.Launcher.Latest(0);
        Assert.That(restarted, Is.Not.SameAs(fresh[0]).And.Not.SameAs(old[0]));
        Assert.That(harness.Launcher.Configs[^1].Args, Is.Empty);
    }

    [Test]
    public async Task A_worker_still_busy_at_the_drain_timeout_is_parked_anyway()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, reload: new ReloadConfig { ConfirmAfter = TimeSpan.FromMinutes(2), KeepOldWorkers = true }));
        await harness.AllReadyAsync();
        var old = harness.Launcher.Latest(0);
        harness.ConfigSource.Next = ConfigLoadResult.Valid(Version2(harness.Config));
        await harness.RequestAsync(reply => new ReloadRequested(reply));
        harness.Readiness.MarkReady(harness.Launcher.Launched[^1].Port);
        await harness.SnapshotAsync();

        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.That(harness.Log.Contains($"worker 0 [pid {old.Pid}] still busy after worker.drainTimeout (30s); parked anyway"), Is.True, harness.Log.Text);
        Assert.That((await harness.SnapshotAsync()).Single(w => w.Pid == old.Pid).State, Is.EqualTo(WorkerState.Parked));
    }

    private static async Task<WorkerState> StateOfAsync(LoopHarness harness, int pid) =>
        (await harness.SnapshotAsync()).Single(w => w.Pid == pid).State;
}
