using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>The front end reports a worker it could not connect to; the loop takes it out, re-checks it, or restarts it.</summary>
public sealed class ControlLoopReachabilityTests
{
    [Test]
    public async Task An_unreachable_worker_leaves_rotation_and_comes_back_when_its_readiness_check_passes_again()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        var refusing = harness.Launcher.Latest(1);
        harness.Readiness.Forget(refusing.Port);

        harness.Loop.Post(new WorkerUnreachable(new WorkerEndpoint(AppConfig.DefaultName, 1, refusing.Pid, refusing.Port), "Connection refused"));
        await harness.SnapshotAsync();

        Assert.That((await harness.WorkerAsync(1)).State, Is.EqualTo(WorkerState.Unhealthy));
        Assert.That(harness.FrontEnd.Current.Select(e => e.WorkerId), Is.EqualTo(new[] { 0 }));
        Assert.That(harness.Log.Contains($"worker 1 [pid {refusing.Pid}] Ready -> Unhealthy: the front end could not connect (Connection refused); out of rotation until it answers again"), Is.True, harness.Log.Text);

        harness.Readiness.MarkReady(refusing.Port);
        await harness.SnapshotAsync();

        Assert.That((await harness.WorkerAsync(1)).State, Is.EqualTo(WorkerState.Ready));
        Assert.That(harness.FrontEnd.Current.Select(e => e.WorkerId), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(refusing.Signals, Is.Empty);
        Assert.That(harness.Log.Contains("Unhealthy -> Ready: answers again"), Is.True, harness.Log.Text);

        // The restart timer was cancelled with the recovery.
        await harness.AdvanceAsync(harness.Config.DefaultApp().Worker.Readiness.Timeout + TimeSpan.FromSeconds(1));
        Assert.That((await harness.WorkerAsync(1)).State, Is.EqualTo(WorkerState.Ready));
    }

    [Test]
    public async Task An_unreachable_worker_that_does_not_answer_within_the_readiness_timeout_is_restarted()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();
        var refusing = harness.Launcher.Latest(0);
        harness.Readiness.Forget(refusing.Port);

        harness.Loop.Post(new WorkerUnreachable(new WorkerEndpoint(AppConfig.DefaultName, 0, refusing.Pid, refusing.Port), "Connection refused"));
        await harness.AdvanceAsync(harness.Config.DefaultApp().Worker.Readiness.Timeout - TimeSpan.FromMilliseconds(1));
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Unhealthy), "restarted before the readiness timeout");

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1));

        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Stopping));
        Assert.That(refusing.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Readiness.WasCancelled(refusing.Port), Is.True, "the re-check outlived the decision to restart");
        Assert.That(harness.Log.Contains("Unhealthy -> Stopping: still unreachable after"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task A_report_about_a_process_that_is_already_gone_changes_nothing()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();
        var current = harness.Launcher.Latest(0);

        harness.Loop.Post(new WorkerUnreachable(new WorkerEndpoint(AppConfig.DefaultName, 0, current.Pid + 1000, current.Port), "Connection refused"));
        await harness.SnapshotAsync();

        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Ready));
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EqualTo(new[] { current.Pid }));
    }
}
