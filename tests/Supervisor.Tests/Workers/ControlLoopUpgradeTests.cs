using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>
/// Upgrading the supervisor itself, as the control loop runs it: on the supervisor being replaced (start the new one,
/// hand over on its word, or stop it and serve on) and on the new one (take over only with every worker ready).
/// </summary>
public sealed class ControlLoopUpgradeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_new_supervisor_that_is_ready_gets_the_pid_file_and_MAINPID_then_this_one_hands_over_and_stops()
    {
        await using var harness = await ReadyHarnessAsync();
        var reply = await harness.RequestAsync(r => new UpgradeRequested("supervisor upgrade", r));
        var successor = harness.Upgrader.Started.Single();
        Assert.That((await harness.StatusAsync())!.Operation, Is.EqualTo($"an upgrade (supervisor upgrade) is in progress: the new supervisor is pid {successor.Pid}"));
        Assert.That(harness.PidFile.Owned, Is.True, "the pid file was released before the new supervisor was ready");

        successor.SayReady("2.0.0");
        await harness.SnapshotAsync();
        Assert.That((successor.Granted, harness.PidFile.Owned), Is.EqualTo((true, false)));
        Assert.That(harness.Notifier.Sent, Does.Contain($"MAINPID={successor.Pid}: handing over to supervisor pid {successor.Pid} (version 2.0.0)"));
        Assert.That(reply.IsCompleted, Is.False, "answered before the new supervisor took over");

        var workers = harness.Launcher.Launched.ToList();
        successor.SayDone();
        var answer = await reply.WaitAsync(Patience);
        Assert.That((answer.Ok, answer.Pid), Is.EqualTo((true, successor.Pid)), answer.Message);
        Assert.That(answer.Message, Does.StartWith($"upgraded: supervisor pid {successor.Pid} (version 2.0.0) has taken over with its own workers"));
        await harness.SnapshotAsync();
        Assert.That(harness.FrontEnd.HandedOver, Is.True, "the front end stopped as for a stop (health 503, drainDelay) rather than a hand-over");
        Assert.That(workers.All(w => w.Signals.Count == 0), Is.True, "workers were signalled before the drain was over");

        harness.FrontEnd.FinishDraining();
        await harness.SnapshotAsync();
        Assert.That(workers.Select(w => w.Signals[0]), Is.All.EqualTo(PosixSignals.SIGTERM), "the old workers stop after the drain: never adopted");
        foreach (var worker in workers)
        {
            worker.Exit(0);
        }

        Assert.That(await harness.Completion.WaitAsync(Patience), Is.EqualTo(LoopEnd.Stopped));
        Assert.That(successor.StopAsked || successor.Killed, Is.False, "the new supervisor was stopped after it took over");
    }

    [Test]
    public async Task A_second_upgrade_while_one_runs_is_refused_and_SIGUSR2_starts_one_without_a_client()
    {
        await using var harness = await ReadyHarnessAsync();
        harness.Loop.Post(new SignalReceived(PosixSignals.SIGUSR2));
        await harness.SnapshotAsync();
        var successor = harness.Upgrader.Started.Single();

        var second = await (await harness.RequestAsync(r => new UpgradeRequested("supervisor upgrade", r))).WaitAsync(Patience);
        Assert.That(second.Ok, Is.False);
        Assert.That(second.Message, Is.EqualTo($"upgrade refused: an upgrade (SIGUSR2) is in progress: the new supervisor is pid {successor.Pid}; nothing was started"));
        Assert.That(harness.Upgrader.Started, Has.Count.EqualTo(1));
        var reload = await (await harness.RequestAsync(r => new ReloadRequested(r))).WaitAsync(Patience);
        Assert.That(reload.Message, Does.StartWith("reload refused: an upgrade (SIGUSR2) is in progress"));
        Assert.That((await harness.StatusAsync())!.LastUpgrade, Is.EqualTo(new UpgradeOutcome("refused", "supervisor upgrade", $"an upgrade (SIGUSR2) is in progress: the new supervisor is pid {successor.Pid}", harness.Time.GetUtcNow())));
    }

    [Test]
    public async Task An_invalid_config_refuses_the_upgrade_before_anything_starts()
    {
        await using var harness = await ReadyHarnessAsync();
        harness.ConfigSource.Next = ConfigLoadResult.Invalid([new ConfigError("$.workers", "expected \"auto\" or an integer from 1 to 1024, got a number (0)")]);
        var answer = await (await harness.RequestAsync(r => new UpgradeRequested("supervisor upgrade", r))).WaitAsync(Patience);
        Assert.That((answer.Ok, answer.InvalidConfig), Is.EqualTo((false, true)));
        Assert.That(answer.Details, Is.EqualTo(new[] { "$.workers: expected \"auto\" or an integer from 1 to 1024, got a number (0)" }));
        Assert.That(harness.Upgrader.Started, Is.Empty);
    }

    [Test]
    public async Task A_new_supervisor_that_fails_before_it_is_ready_is_stopped_and_this_one_serves_on_unchanged()
    {
        await using var harness = await ReadyHarnessAsync();
        var workers = await harness.SnapshotAsync();
        var reply = await harness.RequestAsync(r => new UpgradeRequested("supervisor upgrade", r));
        var successor = harness.Upgrader.Started.Single();
        successor.RecentOutput = ["err| boom"];

        successor.Fail("the new worker 0 (pid 12) exited with code 3");
        await harness.SnapshotAsync();
        Assert.That(successor.StopAsked, Is.True);
        Assert.That(reply.IsCompleted, Is.False, "answered before the failed supervisor was gone");
        successor.FinishStopping();
        var answer = await reply.WaitAsync(Patience);

        Assert.That(answer.Ok, Is.False);
        Assert.That(answer.Message, Is.EqualTo($"upgrade failed: the new worker 0 (pid 12) exited with code 3; the new supervisor (pid {successor.Pid}) and everything it started were stopped; this supervisor (pid {Environment.ProcessId}) keeps serving with the same workers"));
        Assert.That(answer.Details, Is.EqualTo(new[] { "err| boom" }));
        Assert.That(await harness.SnapshotAsync(), Is.EqualTo(workers), "the workers were touched");
        Assert.That(harness.PidFile.Owned, Is.True);
        Assert.That(harness.Notifier.Sent.Where(m => m.StartsWith("MAINPID=", StringComparison.Ordinal)), Is.Empty);
        var status = (await harness.StatusAsync())!;
        Assert.That((status.Phase, status.Operation, status.LastUpgrade?.Result), Is.EqualTo((SupervisorPhase.Running, (string?)null, "failed")));
    }

    [Test]
    public async Task A_new_supervisor_that_fails_after_the_release_gives_the_pid_file_and_MAINPID_back()
    {
        await using var harness = await ReadyHarnessAsync();
        var reply = await harness.RequestAsync(r => new UpgradeRequested("supervisor upgrade", r));
        var successor = harness.Upgrader.Started.Single();
        successor.SayReady();
        await harness.SnapshotAsync();
        Assert.That(harness.PidFile.Owned, Is.False);

        successor.Fail("it ended (killed by SIGKILL (out of memory?)) before it took over");
        successor.FinishStopping();
        Assert.That((await reply.WaitAsync(Patience)).Ok, Is.False);
        Assert.That(harness.PidFile.Owned, Is.True);
        Assert.That(harness.Notifier.Sent[^1], Does.StartWith($"MAINPID={Environment.ProcessId}: "));
    }

    [Test]
    public async Task A_new_supervisor_that_does_not_take_over_in_time_is_stopped()
    {
        await using var harness = await ReadyHarnessAsync();
        var reply = await harness.RequestAsync(r => new UpgradeRequested("SIGUSR2", r));
        var successor = harness.Upgrader.Started.Single();
        var config = harness.Config.DefaultApp().Worker;
        await harness.AdvanceAsync(config.Readiness.Timeout + config.StopTimeout + ControlLoop.UpgradeStartAllowance);
        Assert.That(successor.StopAsked, Is.True);
        successor.FinishStopping();
        Assert.That((await reply.WaitAsync(Patience)).Message, Does.StartWith("upgrade failed: it had not taken over within the upgrade's time limit"));
    }

    [Test]
    public async Task A_stop_during_an_upgrade_kills_the_new_supervisor_at_once()
    {
        await using var harness = await ReadyHarnessAsync();
        var reply = await harness.RequestAsync(r => new UpgradeRequested("supervisor upgrade", r));
        var successor = harness.Upgrader.Started.Single();
        await harness.StopAndDrainAsync();
        Assert.That(successor.Killed, Is.True);
        Assert.That((await reply.WaitAsync(Patience)).Message, Is.EqualTo($"upgrade interrupted: the supervisor is stopping; the new supervisor (pid {successor.Pid}) was killed"));
        Assert.That(harness.FrontEnd.HandedOver, Is.False, "a stop is a stop: the health endpoint announces it");
    }

    [Test]
    public async Task A_program_that_cannot_be_started_fails_the_upgrade_at_once()
    {
        await using var harness = await ReadyHarnessAsync();
        harness.Upgrader.FailToStart = "cannot run /opt/cluster/supervisor: No such file or directory";
        var answer = await (await harness.RequestAsync(r => new UpgradeRequested("supervisor upgrade", r))).WaitAsync(Patience);
        Assert.That(answer.Message, Does.StartWith("upgrade failed: cannot start a new supervisor: cannot run /opt/cluster/supervisor: No such file or directory"));
        Assert.That((await harness.StatusAsync())!.Operation, Is.Null);
    }

    [Test]
    public async Task Taking_over_waits_for_every_worker_then_the_predecessor_before_telling_systemd_anything()
    {
        var predecessor = new FakePredecessor();
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2), predecessor: predecessor);
        await harness.SnapshotAsync();
        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        await harness.SnapshotAsync();
        Assert.That(harness.Serving.Calls, Is.Zero, "took traffic with a worker still starting");
        var reload = await (await harness.RequestAsync(r => new ReloadRequested(r))).WaitAsync(Patience);
        Assert.That(reload.Message, Is.EqualTo("reload refused: this supervisor is taking over from supervisor pid 4242 (an upgrade)"));

        harness.Readiness.MarkReady(harness.Launcher.Latest(1).Port);
        await harness.SnapshotAsync();
        Assert.That(harness.Serving.Calls, Is.EqualTo(1));
        Assert.That(harness.Notifier.Sent, Is.Empty, "systemd heard from a supervisor that is not its main process yet");

        // As a supervisor taking over starts: the pid file is the predecessor's until the takeover.
        harness.PidFile.Release();
        harness.Loop.Post(new TakeOverGranted(PredecessorGone: false));
        await harness.SnapshotAsync();
        Assert.That((predecessor.Completed, harness.PidFile.Owned), Is.EqualTo((true, true)));
        Assert.That(harness.Notifier.States, Is.EqualTo(new[] { "READY=1: 2 of 2 workers ready" }));
        Assert.That((await harness.StatusAsync())!.Operation, Is.Null);
    }

    [Test]
    public async Task A_worker_that_fails_before_the_takeover_ends_it_and_the_predecessor_serves_on()
    {
        var predecessor = new FakePredecessor();
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2), predecessor: predecessor);
        await harness.SnapshotAsync();
        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        harness.Launcher.Latest(1).Exit(3);
        await harness.SnapshotAsync();

        Assert.That(predecessor.FailedWith, Does.StartWith($"the new worker 1 (pid {harness.Launcher.Latest(1).Pid}) exited with code 3 after"));
        Assert.That(predecessor.FailedWith, Does.EndWith("before every worker was ready"));
        Assert.That(harness.Serving.Calls, Is.Zero);
        harness.FrontEnd.FinishDraining();
        await harness.SnapshotAsync();
        Assert.That(harness.FrontEnd.HandedOver, Is.True, "it never served: no 503 announcement, no drainDelay");
        harness.Launcher.Latest(0).Exit(0);
        Assert.That(await harness.Completion.WaitAsync(Patience), Is.EqualTo(LoopEnd.TakeOverFailed));
        Assert.That(harness.Notifier.Sent, Is.Empty);
    }

    [Test]
    public async Task A_plain_start_takes_traffic_on_inherited_sockets_once_start_up_has_settled()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.SnapshotAsync();
        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        await harness.SnapshotAsync();
        Assert.That(harness.Serving.Calls, Is.Zero);
        harness.Readiness.MarkReady(harness.Launcher.Latest(1).Port);
        await harness.SnapshotAsync();
        harness.Launcher.Latest(1).Exit(1);
        await harness.SnapshotAsync();
        Assert.That(harness.Serving.Calls, Is.EqualTo(1), "told once, with READY=1");
    }

    private static async Task<LoopHarness> ReadyHarnessAsync()
    {
        var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        return harness;
    }
}
