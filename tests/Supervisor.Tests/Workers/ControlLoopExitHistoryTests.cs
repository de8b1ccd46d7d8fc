using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Restarts;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>A slot's restart history, as `supervisor status --worker` shows it: its last exits and what followed each.</summary>
public sealed class ControlLoopExitHistoryTests
{
    [Test]
    public async Task Every_exit_is_kept_newest_first_with_its_signal_uptime_last_output_and_the_restart_that_followed()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        var pids = new List<int>();
        for (var i = 1; i <= 3; i++)
        {
            var process = harness.Launcher.Latest(1);
            pids.Add(process.Pid);
            process.Output.Add($"out| serving, round {i}");
            await harness.AdvanceAsync(TimeSpan.FromSeconds(10 * i));
            process.Exit(128 + PosixSignals.SIGKILL);
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
            harness.Readiness.MarkReady(harness.Launcher.Latest(1).Port);
        }

        var slot = await harness.WorkerAsync(1);

        Assert.That(slot.Exits.Select(e => e.Pid), Is.EqualTo(pids.AsEnumerable().Reverse().Cast<int?>()));
        Assert.That(slot.Exits.Select(e => e.Signal), Is.All.EqualTo("SIGKILL"));
        Assert.That(slot.Exits.Select(e => e.ExitCode), Is.All.Null);
        Assert.That(slot.Exits.Select(e => e.LastOutput.Single()), Is.EqualTo(new[] { "out| serving, round 3", "out| serving, round 2", "out| serving, round 1" }));
        Assert.That(slot.Exits[2].Uptime, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(slot.Exits[0].Description, Does.StartWith("killed by SIGKILL (out of memory?) after"));
        Assert.That(slot.Exits.Select(e => e.Then!.Action), Is.All.EqualTo(ExitAction.Restarted));
        Assert.That(slot.Exits[2].Then!.Description, Is.EqualTo("restarting in 100ms (restart #1)"));
        Assert.That(slot.Exits[1].Then!.Description, Is.EqualTo("restarting in 200ms (restart #2)"), "a second quick exit waits longer");
        Assert.That(slot.Exits[0].Then!.Description, Is.EqualTo("restarting in 100ms (restart #3)"), "up past restart.resetAfter: back to the first delay");
        Assert.That(slot.Exits[2].Then!.RestartDelay, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
        Assert.That(slot.RestartsLastHour, Is.EqualTo(3));
        Assert.That((await harness.WorkerAsync(0)).Exits, Is.Empty);
    }

    [Test]
    public async Task Only_the_last_ten_exits_are_kept()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, restart: TestConfigs.Restart(maxDelay: TimeSpan.FromMilliseconds(100))));
        await harness.AllReadyAsync();
        var pids = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            pids.Add(harness.Launcher.Latest(0).Pid);
            harness.Launcher.Latest(0).Exit(1);
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        var slot = await harness.WorkerAsync(0);

        Assert.That(slot.Exits, Has.Count.EqualTo(ExitHistory.Kept));
        Assert.That(slot.Exits.Select(e => e.Pid), Is.EqualTo(pids.TakeLast(10).Reverse().Cast<int?>()));
        Assert.That(slot.Exits.Select(e => e.ExitCode), Is.All.EqualTo(1));
        Assert.That(slot.Exits[0].Then!.Action, Is.EqualTo(ExitAction.CrashLoop));
        Assert.That(slot.Exits[0].Then!.Description, Does.StartWith("crash loop: 12 exits in a row within 30s of starting; restarting in 100ms (restart #12)"));
        Assert.That(slot.RestartsLastHour, Is.EqualTo(12), "the count is not limited by the kept exits");
    }

    [Test]
    public async Task A_slot_that_is_given_up_on_says_so()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, restart: TestConfigs.Restart(noRestartExitCodes: [3])));
        await harness.AllReadyAsync();

        harness.Launcher.Latest(0).Exit(3);
        var slot = await harness.WorkerAsync(0);

        Assert.That(slot.State, Is.EqualTo(WorkerState.Failed));
        Assert.That(slot.Exits.Single().Then, Is.EqualTo(new ExitOutcome(ExitAction.GaveUp, "exit code 3 is listed in restart.noRestartExitCodes: not restarted")));
        Assert.That(slot.RestartsLastHour, Is.Zero);
    }

    [Test]
    public async Task The_history_carries_over_to_a_replacement_with_the_replaced_process_s_planned_exit()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, recycle: new RecycleConfig { MaxMemoryMb = 512, MaxRequestsJitter = 0 }));
        await harness.AllReadyAsync();
        harness.Launcher.Latest(0).Exit(1);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        await harness.AllReadyAsync();
        var old = harness.Launcher.Latest(0);
        harness.Memory.Set(old.Pid, 600);

        await harness.AdvanceAsync(ControlLoop.RecycleCheckInterval);
        var replacement = harness.Launcher.Latest(0);
        harness.Readiness.MarkReady(replacement.Port);
        await harness.SnapshotAsync();
        harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, 0, old.Pid, old.Port));
        await harness.SnapshotAsync();
        old.Exit(0);

        var slot = (await harness.SnapshotAsync()).Single();
        Assert.That(slot.Pid, Is.EqualTo(replacement.Pid));
        Assert.That(slot.Exits.Select(e => (e.Pid, e.Then!.Action)), Is.EqualTo(new[] { ((int?)old.Pid, ExitAction.Replaced), ((int?)harness.Launcher.Launched[0].Pid, ExitAction.Restarted) }));
        Assert.That(slot.Exits[0].Description, Does.Contain("asked to stop: drained: no request in flight"));
        Assert.That(slot.LastExit!.ExitCode, Is.EqualTo(1), "the status column keeps the last exit before the replacement");
        Assert.That(slot.Restarts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_replacement_that_dies_before_it_is_ready_is_in_the_slot_s_history_and_the_old_process_keeps_serving()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, recycle: new RecycleConfig { MaxMemoryMb = 512, MaxRequestsJitter = 0 }));
        await harness.AllReadyAsync();
        var old = harness.Launcher.Latest(0);
        harness.Memory.Set(old.Pid, 600);

        await harness.AdvanceAsync(ControlLoop.RecycleCheckInterval);
        var replacement = harness.Launcher.Latest(0);
        replacement.Output.Add("err| cannot open the database");
        replacement.Exit(1);

        var slot = (await harness.SnapshotAsync()).Single();
        Assert.That(slot.Pid, Is.EqualTo(old.Pid));
        var exit = slot.Exits.Single();
        Assert.That((exit.Pid, exit.ExitCode, exit.Then!.Action), Is.EqualTo(((int?)replacement.Pid, (int?)1, ExitAction.ReplacementFailed)));
        Assert.That(exit.Then.Description, Does.StartWith($"this replacement for pid {old.Pid} failed; pid {old.Pid} keeps serving; next recycle attempt in "));
        Assert.That(exit.LastOutput, Is.EqualTo(new[] { "err| cannot open the database" }));
        Assert.That(slot.LastExit, Is.Null, "the status column shows the exits of the process that holds the slot");
    }

    [Test]
    public void Restarts_of_the_last_hour_are_counted_by_minute_and_older_ones_fall_out()
    {
        var restarts = new RecentRestarts();
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        restarts.Record(start);
        restarts.Record(start.AddSeconds(5));
        restarts.Record(start.AddMinutes(30));

        Assert.That(restarts.LastHour(start.AddMinutes(30)), Is.EqualTo(3));
        Assert.That(restarts.LastHour(start.AddMinutes(59)), Is.EqualTo(3));
        Assert.That(restarts.LastHour(start.AddMinutes(60)), Is.EqualTo(1), "the two of minute 0 are an hour old");
        Assert.That(restarts.LastHour(start.AddMinutes(90)), Is.Zero);

        restarts.Record(start.AddMinutes(120));
        Assert.That(restarts.LastHour(start.AddMinutes(120)), Is.EqualTo(1), "a reused minute slot starts from zero");
    }
}
