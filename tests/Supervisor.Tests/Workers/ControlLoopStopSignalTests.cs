using Cluster.Shared.Accounts;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.TestSupport;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>
/// worker.stopSignal on every planned stop, each worker stopped with the signal it was started with; a start the exec
/// shim could not make (worker.user) reported as that slot's failed start; the user each worker runs as in the table.
/// </summary>
public sealed class ControlLoopStopSignalTests
{
    private static SupervisorConfig WithStopSignal(SupervisorConfig config, StopSignal signal) =>
        config.WithApp(a => a with { Worker = a.Worker with { StopSignal = signal } });

    [Test]
    public async Task A_scale_down_and_the_supervisors_stop_send_the_configured_signal_then_SIGKILL_after_the_stop_timeout()
    {
        await using var harness = new LoopHarness(WithStopSignal(TestConfigs.Create(workers: 2), StopSignal.Interrupt));
        await harness.AllReadyAsync();
        var (kept, removed) = (harness.Launcher.Latest(0), harness.Launcher.Latest(1));

        var answer = await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(1, Relative: false), reply));
        harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, 1, removed.Pid, removed.Port));
        await harness.SnapshotAsync();
        Assert.That(removed.Signals, Is.EqualTo(new[] { PosixSignals.SIGINT }));
        removed.Exit(0);
        await answer.WaitAsync(Waits.Patience);

        await harness.StopAndDrainAsync();
        Assert.That(kept.Signals, Is.EqualTo(new[] { PosixSignals.SIGINT }));
        Assert.That(harness.Log.Contains($"worker 0 [pid {kept.Pid}] Ready -> Stopping: the supervisor is stopping; sending SIGINT (SIGKILL after 10s)"), Is.True, harness.Log.Text);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.That(kept.Signals, Is.EqualTo(new[] { PosixSignals.SIGINT, PosixSignals.SIGKILL }));
        Assert.That(harness.Log.Contains($"worker 0 [pid {kept.Pid}] did not exit within 10s of SIGINT; sending SIGKILL"), Is.True);
    }

    [Test]
    public async Task A_reload_that_changes_the_stop_signal_stops_each_old_worker_with_its_own_and_the_new_ones_with_the_new()
    {
        await using var harness = new LoopHarness(WithStopSignal(TestConfigs.Create(workers: 1), StopSignal.Quit));
        await harness.AllReadyAsync();
        var old = harness.Launcher.Latest(0);
        harness.ConfigSource.Next = ConfigLoadResult.Valid(WithStopSignal(harness.Config, StopSignal.Interrupt));

        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply));
        var fresh = harness.Launcher.Latest(0);
        harness.Readiness.MarkReady(fresh.Port);
        await harness.SnapshotAsync();
        harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, 0, old.Pid, old.Port));
        await harness.SnapshotAsync();
        old.Exit(0);
        Assert.That((await answer.WaitAsync(Waits.Patience)).Ok, Is.True);

        await harness.StopAndDrainAsync();
        Assert.That(old.Signals, Is.EqualTo(new[] { PosixSignals.SIGQUIT }), "the program it was started as stops on SIGQUIT");
        Assert.That(fresh.Signals, Is.EqualTo(new[] { PosixSignals.SIGINT }));
    }

    [Test]
    public async Task A_start_the_exec_shim_could_not_make_is_that_slots_failed_start_with_the_reason_then_retried()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, restartDelay: TimeSpan.FromMilliseconds(100)));
        await harness.SnapshotAsync();
        var refused = harness.Launcher.Latest(0);
        const string Reason = "cannot enter the working directory /srv/app as nobody (uid 65534, gid 65534): Permission denied (EACCES)";

        refused.FailToExec(Reason);
        var worker = await harness.WorkerAsync(0);

        Assert.That(harness.Log.Entries, Does.Contain((LogLevel.Error, $"worker 0 [pid {refused.Pid}] Starting -> Exited: could not be started: {Reason}")));
        Assert.That(worker.LastExit!.Description, Is.EqualTo($"could not be started: {Reason}"));
        Assert.That((worker.LastExit.ExitCode, worker.LastExit.Pid), Is.EqualTo(((int?)null, (int?)refused.Pid)));
        Assert.That(worker.State, Is.EqualTo(WorkerState.Backoff));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2), "retried like any quick exit: a permission fixed meanwhile is picked up");
    }

    [Test]
    public async Task The_table_shows_the_user_each_worker_runs_as()
    {
        var config = TestConfigs.Create(workers: 1);
        await using var harness = new LoopHarness(config.WithApp(a => a with { Worker = a.Worker with { User = new ConfiguredUser("65534", new UserAccount("nobody", 65534, 65534, "/nonexistent")) } }));

        var worker = await harness.WorkerAsync(0);

        Assert.That(worker.User, Is.EqualTo("nobody"));
    }
}
