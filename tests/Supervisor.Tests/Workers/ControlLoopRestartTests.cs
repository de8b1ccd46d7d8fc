using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>The restart policy as the control loop applies it: backoff, crash loops, giving up, recovering.</summary>
public sealed class ControlLoopRestartTests
{
    [Test]
    public async Task Quick_exits_back_off_and_then_mark_the_slot_crash_looping_while_the_others_keep_serving()
    {
        var restart = TestConfigs.Restart(delay: TimeSpan.FromMilliseconds(100), maxDelay: TimeSpan.FromSeconds(1), crashLoopAfter: 3);
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2, restart: restart));
        await harness.AllReadyAsync();

        var delays = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            harness.Launcher.Latest(1).Exit(1);
            var worker = await harness.WorkerAsync(1);
            delays.Add($"{worker.State}");
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.That(delays, Is.EqualTo(new[] { "Backoff", "Backoff", "CrashLoop", "CrashLoop", "CrashLoop" }));
        Assert.That(harness.Log.Contains("Exited -> Backoff: restarting in 100ms (restart #1)"), Is.True, harness.Log.Text);
        Assert.That(harness.Log.Contains("Exited -> Backoff: restarting in 200ms (restart #2)"), Is.True);
        Assert.That(harness.Log.Contains("Exited -> CrashLoop: crash loop: 3 exits in a row within 30s of starting; restarting in 400ms (restart #3)"), Is.True);
        Assert.That(harness.Log.Contains("Exited -> CrashLoop: crash loop: 5 exits in a row within 30s of starting; restarting in 1s (restart #5)"), Is.True);
        Assert.That(harness.FrontEnd.Current.Select(e => e.WorkerId), Is.EqualTo(new[] { 0 }), "the healthy worker must keep serving");
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Ready));
    }

    [Test]
    public async Task Every_exit_transition_carries_its_facts_as_structured_properties()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();
        var process = harness.Launcher.Latest(0);
        harness.Time.Advance(TimeSpan.FromSeconds(42));

        process.Exit(128 + 11);
        await harness.SnapshotAsync();

        var exited = harness.Log.The("Ready -> Exited");
        Assert.That(exited.Message, Is.EqualTo($"worker 0 [pid {process.Pid}] Ready -> Exited: terminated by SIGSEGV after 42s uptime"));
        Assert.That(exited.Properties["Signal"], Is.EqualTo("SIGSEGV"));
        Assert.That(exited.Properties["UptimeSeconds"], Is.EqualTo(42.0));
        Assert.That(exited.Properties.ContainsKey("ExitCode"), Is.False);
        var backoff = harness.Log.The("Exited -> Backoff");
        Assert.That(backoff.Properties["NextDelayMs"], Is.EqualTo(100L));
        Assert.That(backoff.Properties["Restarts"], Is.EqualTo(1));
        Assert.That(backoff.Properties["QuickExits"], Is.EqualTo(1));

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        harness.Launcher.Latest(0).Exit(1);
        await harness.SnapshotAsync();
        Assert.That(harness.Log.Detailed.Last(e => e.Message.Contains("-> Exited", StringComparison.Ordinal)).Properties["ExitCode"], Is.EqualTo(1));
    }

    [Test]
    public async Task After_max_restarts_within_the_window_the_slot_fails_and_stays_down()
    {
        var restart = TestConfigs.Restart(maxRestarts: 2, window: TimeSpan.FromMinutes(1));
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2, restart: restart));
        await harness.AllReadyAsync();

        for (var i = 0; i < 3; i++)
        {
            harness.Launcher.Latest(1).Exit(1);
            await harness.AdvanceAsync(TimeSpan.FromSeconds(2));
        }

        Assert.That((await harness.WorkerAsync(1)).State, Is.EqualTo(WorkerState.Failed));
        Assert.That(harness.Log.Entries.Any(e => e.Level == LogLevel.Error && e.Message.EndsWith("Exited -> Failed: 3 exits within 1m00s exceed restart.maxRestarts (2): giving up", StringComparison.Ordinal)), Is.True, harness.Log.Text);
        var launches = harness.Launcher.Launched.Count;
        await harness.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(launches), "a failed slot was restarted");
        Assert.That(harness.FrontEnd.Current.Select(e => e.WorkerId), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public async Task A_do_not_restart_exit_code_fails_the_slot_at_once()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, restart: TestConfigs.Restart(noRestartExitCodes: [3])));
        await harness.SnapshotAsync();

        harness.Launcher.Latest(0).Exit(3);

        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Failed));
        Assert.That(harness.Log.Contains("Exited -> Failed: exit code 3 is listed in restart.noRestartExitCodes: not restarted"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task A_do_not_restart_code_after_the_supervisor_asked_the_worker_to_stop_is_not_held_against_it()
    {
        var config = TestConfigs.Create(workers: 1, readinessTimeout: TimeSpan.FromSeconds(5), restart: TestConfigs.Restart(noRestartExitCodes: [3]));
        await using var harness = new LoopHarness(config);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        harness.Launcher.Latest(0).Exit(3);

        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Backoff));
    }

    [Test]
    public async Task A_crash_looping_worker_that_stays_up_is_reported_recovered_and_its_backoff_reset()
    {
        var restart = TestConfigs.Restart(crashLoopAfter: 2, resetAfter: TimeSpan.FromSeconds(30));
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, restart: restart));
        await harness.SnapshotAsync();
        for (var i = 0; i < 2; i++)
        {
            harness.Launcher.Latest(0).Exit(1);
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        await harness.SnapshotAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.That(harness.Log.Contains($"worker 0 [pid {harness.Launcher.Latest(0).Pid}] recovered: up for 30s, the crash loop is over"), Is.True, harness.Log.Text);
        harness.Launcher.Latest(0).Exit(1);
        await harness.SnapshotAsync();
        Assert.That(harness.Log.Messages[^1], Does.EndWith("Exited -> Backoff: restarting in 100ms (restart #3)"));
    }

    [Test]
    public async Task The_pid_file_follows_the_running_workers()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.SnapshotAsync();
        Assert.That(harness.PidFile.Recorded.Select(w => w.Pid), Is.EqualTo(harness.Launcher.Launched.Select(p => p.Pid)));

        harness.Launcher.Latest(1).Exit(1);
        await harness.SnapshotAsync();
        Assert.That(harness.PidFile.Recorded.Select(w => w.WorkerId), Is.EqualTo(new[] { 0 }));

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        Assert.That(harness.PidFile.Recorded.Select(w => w.Pid), Is.EqualTo(new[] { harness.Launcher.Latest(0).Pid, harness.Launcher.Latest(1).Pid }));
    }
}
