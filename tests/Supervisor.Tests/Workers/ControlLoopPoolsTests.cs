using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>
/// The pool sizer wired into the control loop, on the manual clock: the check once a second, starts in the lowest
/// free ids, retirement drained then stopped, the machine-wide cap moving a worker between apps, on demand, reload
/// and `scale` on a range.
/// </summary>
public sealed class ControlLoopPoolsTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(1);

    private static WorkerCount Range(int min, int max, int spare) =>
        WorkerCount.Ranged(new WorkerRange { Min = min, Max = new WorkerCount(max, IsAuto: false), Spare = spare, IdleTimeout = IdleTimeout });

    private static SupervisorConfig OneApp(WorkerCount workers) => TestConfigs.Create() with
    {
        Apps = [TestConfigs.App() with { Workers = workers }],
    };

    private static SupervisorConfig TwoApps(WorkerCount a, WorkerCount b, int? maxWorkers) => TestConfigs.Create() with
    {
        MaxWorkers = maxWorkers,
        Apps = [TestConfigs.App(name: "a", hosts: "a.example.com") with { Workers = a }, TestConfigs.App(name: "b", hosts: "b.example.com") with { Workers = b }],
    };

    /// <summary>The running processes of an app, as the front end sees them.</summary>
    private static List<(FakeWorkerProcess Process, WorkerEndpoint Endpoint)> Running(LoopHarness harness, string app = AppConfig.DefaultName) =>
        [.. harness.Launcher.Launched.Where(p => p.App == app && !p.Exited.IsCompleted).Select(p => (p, new WorkerEndpoint(app, p.WorkerId, p.Pid, p.Port)))];

    private static void SetBusy(LoopHarness harness, long inFlight, string app = AppConfig.DefaultName)
    {
        foreach (var (_, endpoint) in Running(harness, app))
        {
            harness.FrontEnd.SetBusy(endpoint, inFlight);
        }
    }

    /// <summary>The draining worker finishes (nothing in flight), is sent its stop signal, and exits.</summary>
    private static async Task DrainAndExitAsync(LoopHarness harness, WorkerSnapshot worker, string app = AppConfig.DefaultName)
    {
        var process = harness.Launcher.Launched.Single(p => p.App == app && p.Pid == worker.Pid);
        harness.FrontEnd.MakeIdle(new WorkerEndpoint(app, process.WorkerId, process.Pid, process.Port));
        await harness.SnapshotAsync();
        Assert.That(process.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }), "drained first, then stopped");
        process.Exit(0);
        await harness.SnapshotAsync();
    }

    private static async Task<AppStatus> AppAsync(LoopHarness harness, string app = AppConfig.DefaultName) =>
        (await harness.StatusAsync())!.Apps.Single(a => a.Name == app);

    [Test]
    public async Task A_busy_pool_grows_at_each_check_while_fewer_than_spare_are_idle_up_to_max_and_logs_why()
    {
        await using var harness = new LoopHarness(OneApp(Range(min: 1, max: 4, spare: 1)));
        await harness.AllReadyAsync();
        Assert.That(harness.Launcher.Launched.Select(p => p.WorkerId), Is.EqualTo(new[] { 0, 1 }), "min + spare at start");

        for (var check = 0; check < 4; check++)
        {
            SetBusy(harness, 1);
            await harness.AdvanceAsync(Check);
            await harness.AllReadyAsync();
        }

        Assert.That(harness.Launcher.Launched.Select(p => p.WorkerId), Is.EqualTo(new[] { 0, 1, 2, 3 }), "one more per check, never above max");
        Assert.That(harness.Log.Contains("app default: 2 -> 3 workers: 0 of 2 idle"), Is.True, harness.Log.Text);
        Assert.That(harness.Log.Contains("app default: 3 -> 4 workers: 0 of 3 idle"), Is.True, harness.Log.Text);
        var app = await AppAsync(harness);
        Assert.That((app.WorkersWanted, app.Workers.Count(w => w.State == WorkerState.Ready)), Is.EqualTo((4, 4)));
        Assert.That(app.ScaleEvents, Is.EquivalentTo(new Dictionary<(string, string), long> { [("up", "spare")] = 2 }));
    }

    [Test]
    public async Task A_started_worker_counts_as_idle_to_come_so_a_slow_start_is_not_doubled()
    {
        await using var harness = new LoopHarness(OneApp(Range(min: 1, max: 8, spare: 1)));
        await harness.AllReadyAsync();
        SetBusy(harness, 1);

        for (var check = 0; check < 5; check++)
        {
            await harness.AdvanceAsync(Check);
        }

        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(3), "the third is still starting: it is the spare to come");
    }

    [Test]
    public async Task Idle_workers_are_retired_one_per_check_after_idle_timeout_drained_then_stopped_down_to_min_and_a_new_start_takes_the_lowest_free_id()
    {
        await using var harness = new LoopHarness(OneApp(Range(min: 1, max: 4, spare: 1)));
        await harness.AllReadyAsync();
        for (var check = 0; check < 2; check++)
        {
            SetBusy(harness, 1);
            await harness.AdvanceAsync(Check);
            await harness.AllReadyAsync();
        }

        Assert.That((await AppAsync(harness)).WorkersWanted, Is.EqualTo(4));
        SetBusy(harness, 0);

        // Nothing goes before idleTimeout (after the last start, and of idleness).
        for (var second = 0; second < 29; second++)
        {
            await harness.AdvanceAsync(Check);
        }

        Assert.That(harness.Log.Contains("idle for"), Is.False, harness.Log.Text);
        var retired = new List<int>();
        for (var second = 0; second < 10 && retired.Count < 3; second++)
        {
            await harness.AdvanceAsync(Check);
            var draining = (await AppAsync(harness)).Workers.Where(w => w.State == WorkerState.Draining).ToList();
            Assert.That(draining, Has.Count.LessThanOrEqualTo(1), "one per check");
            foreach (var worker in draining)
            {
                retired.Add(worker.Id);
                await DrainAndExitAsync(harness, worker);
            }
        }

        var app = await AppAsync(harness);
        Assert.That(retired, Has.Count.EqualTo(3));
        Assert.That(app.Workers.Select(w => (w.State, w.Retiring)), Is.EqualTo(new[] { (WorkerState.Ready, false) }), "back to min 1, which is also its spare");
        Assert.That(app.WorkersWanted, Is.EqualTo(1));
        Assert.That(harness.Log.Contains("app default: 4 -> 3 workers: worker 0 idle for 30s, 4 of 4 idle"), Is.True, harness.Log.Text);
        Assert.That(harness.Log.Contains("Exited -> Stopped: not restarted: its slot was scaled away"), Is.True);
        await harness.AdvanceAsync(IdleTimeout * 2);
        Assert.That((await AppAsync(harness)).WorkersWanted, Is.EqualTo(1), "never below min");

        SetBusy(harness, 1);
        await harness.AdvanceAsync(Check);
        Assert.That(harness.Launcher.Launched[^1].WorkerId, Is.EqualTo(retired.Min()), "the lowest id no worker holds");
        Assert.That((await AppAsync(harness)).ScaleEvents[("down", "idle")], Is.EqualTo(3));
    }

    [Test]
    public async Task At_the_machine_wide_cap_the_idle_app_gives_a_worker_to_the_busy_one_once_it_has_exited()
    {
        // a and b start with min + spare = 2 each; maxWorkers 3 cuts the last app's spare: 2 + 1.
        await using var harness = new LoopHarness(TwoApps(Range(min: 1, max: 3, spare: 1), Range(min: 1, max: 3, spare: 1), maxWorkers: 3));
        await harness.AllReadyAsync();
        Assert.That(harness.Launcher.Launched.Select(p => p.App), Is.EqualTo(new[] { "a", "a", "b" }));

        SetBusy(harness, 1, "b");
        await harness.AdvanceAsync(Check);
        var given = (await AppAsync(harness, "a")).Workers.Single(w => w.State == WorkerState.Draining);
        Assert.That(harness.Log.Contains("app a: 2 -> 1 workers: maxWorkers 3 reached and app b needs a worker; a has the most idle (2 of 2 ready)"), Is.True, harness.Log.Text);

        await harness.AdvanceAsync(Check);
        await harness.AdvanceAsync(Check);
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(3), "b waits for a's worker to be gone");
        Assert.That((await AppAsync(harness, "a")).WorkersWanted, Is.EqualTo(1), "and a gives only the one");

        await DrainAndExitAsync(harness, given, "a");
        await harness.AdvanceAsync(Check);

        Assert.That(harness.Launcher.Launched.Select(p => (p.App, p.WorkerId)).Last(), Is.EqualTo(("b", 1)));
        Assert.That(harness.Log.Contains("app b: 1 -> 2 workers: 0 of 1 idle"), Is.True, harness.Log.Text);
        var status = (await harness.StatusAsync())!;
        Assert.That(status.Apps.Select(a => a.WorkersWanted), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(status.Apps[0].ScaleEvents[("down", "maxWorkers")], Is.EqualTo(1));
    }

    [Test]
    public async Task At_the_cap_with_nothing_to_give_the_held_start_is_logged_once_and_its_end_too()
    {
        await using var harness = new LoopHarness(TwoApps(new WorkerCount(2, IsAuto: false), Range(min: 1, max: 3, spare: 1), maxWorkers: 3));
        await harness.AllReadyAsync();
        SetBusy(harness, 1, "b");

        for (var check = 0; check < 3; check++)
        {
            await harness.AdvanceAsync(Check);
        }

        Assert.That(harness.Log.Messages.Count(m => m.Contains("held back: maxWorkers 3 reached", StringComparison.Ordinal)), Is.EqualTo(1), harness.Log.Text);
        Assert.That((await AppAsync(harness, "b")).Held, Does.Contain("1 more worker(s) wanted"));

        SetBusy(harness, 0, "b");
        await harness.AdvanceAsync(Check);
        Assert.That(harness.Log.Contains("app b: no start held back by maxWorkers any more"), Is.True, harness.Log.Text);
        Assert.That((await AppAsync(harness, "b")).Held, Is.Null);
    }

    [Test]
    public async Task On_demand_an_app_starts_with_no_worker_a_waiting_request_starts_one_and_idle_it_goes_again()
    {
        await using var harness = new LoopHarness(OneApp(Range(min: 0, max: 2, spare: 1)));
        await harness.AllReadyAsync();
        await harness.AdvanceAsync(Check);
        Assert.That(harness.Launcher.Launched, Is.Empty);

        harness.FrontEnd.SetWaiting(AppConfig.DefaultName, 1);
        await harness.AdvanceAsync(Check);
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(1));
        Assert.That(harness.Log.Contains("app default: 0 -> 1 workers: on demand, 0 of 0 idle, 1 queued"), Is.True, harness.Log.Text);
        await harness.AllReadyAsync();
        harness.FrontEnd.SetWaiting(AppConfig.DefaultName, 0);

        var worker = (await AppAsync(harness)).Workers.Single();
        for (var second = 0; second < 40 && (await AppAsync(harness)).Workers.All(w => w.State != WorkerState.Draining); second++)
        {
            await harness.AdvanceAsync(Check);
        }

        await DrainAndExitAsync(harness, (await AppAsync(harness)).Workers.Single(w => w.Pid == worker.Pid));
        Assert.That((await AppAsync(harness)).Workers, Is.Empty, "an idle app on demand has no process");
    }

    [Test]
    public async Task Scale_on_a_range_fixes_the_count_until_the_next_reload_says_so_and_the_reload_does_not_reset_the_pool()
    {
        await using var harness = new LoopHarness(OneApp(Range(min: 1, max: 4, spare: 1)));
        await harness.AllReadyAsync();

        var scale = await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(3, Relative: false), reply));
        await harness.AllReadyAsync();
        var answer = await scale.WaitAsync(Waits.Patience);
        Assert.That(answer.Message, Is.EqualTo("scaled up from 2 to 3 worker(s); all ready; app default's workers are a range (1 to 4 (spare 1, idle 30s)): 3 is a fixed count until its next reload, which sizes the pool by load again"));

        SetBusy(harness, 1);
        for (var check = 0; check < 3; check++)
        {
            await harness.AdvanceAsync(Check);
        }

        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(3), "not sized while scale's count holds");
        Assert.That((await AppAsync(harness)).ScaledOverRange, Is.EqualTo(3));

        var reload = await harness.RequestAsync(reply => new ReloadRequested(reply));
        for (var slot = 0; slot < 3; slot++)
        {
            await harness.AllReadyAsync();
            foreach (var draining in (await AppAsync(harness)).Workers.Where(w => w.State == WorkerState.Draining))
            {
                await DrainAndExitAsync(harness, draining);
            }
        }

        Assert.That((await reload.WaitAsync(Waits.Patience)).Ok, Is.True);
        var app = await AppAsync(harness);
        Assert.That((app.WorkersWanted, app.ScaledOverRange), Is.EqualTo((3, (int?)null)), "the reload sized from where the pool was, not from min + spare");

        SetBusy(harness, 1);
        await harness.AdvanceAsync(Check);
        Assert.That((await AppAsync(harness)).WorkersWanted, Is.EqualTo(4), "sized by load again");
    }
}
