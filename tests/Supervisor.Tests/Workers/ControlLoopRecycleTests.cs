using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Workers;

public sealed class ControlLoopRecycleTests
{
    private static readonly TimeSpan Tick = ControlLoop.RecycleCheckInterval;

    [Test]
    public async Task A_worker_over_its_memory_limit_is_replaced_first_then_drained_and_stopped_and_capacity_never_drops()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2, recycle: new RecycleConfig { MaxMemoryMb = 512, MaxRequestsJitter = 0 }));
        await harness.AllReadyAsync();
        var fat = harness.Launcher.Latest(1);
        harness.Memory.Set(fat.Pid, 600);
        var publishedBefore = harness.FrontEnd.History.Count;

        await harness.AdvanceAsync(Tick);

        Assert.That(harness.Log.Contains($"worker 1 [pid {fat.Pid}] recycling: uses 600 MB of resident memory, over recycle.maxMemoryMb (512); starting its replacement first"), Is.True, harness.Log.Text);
        var replacement = harness.Launcher.Latest(1);
        Assert.That(replacement, Is.Not.SameAs(fat));
        Assert.That(fat.Signals, Is.Empty, "the old worker was stopped before its replacement was ready");
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Does.Contain(fat.Pid));

        harness.Readiness.MarkReady(replacement.Port);
        await harness.SnapshotAsync();

        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EqualTo(new[] { harness.Launcher.Latest(0).Pid, replacement.Pid }));
        Assert.That(harness.FrontEnd.History.Skip(publishedBefore).Select(list => list.Count), Is.All.EqualTo(2), "a publish had fewer ready workers than configured");
        Assert.That(harness.Log.Contains($"worker 1 [pid {fat.Pid}] Ready -> Draining: replaced by pid {replacement.Pid}; out of rotation, finishing in-flight requests (up to 30s)"), Is.True, harness.Log.Text);
        Assert.That(fat.Signals, Is.Empty, "SIGTERM before the drain finished");

        harness.FrontEnd.MakeIdle(new WorkerEndpoint(AppConfig.DefaultName, 1, fat.Pid, fat.Port));
        await harness.SnapshotAsync();
        Assert.That(fat.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Log.Contains("Draining -> Stopping: drained: no request in flight"), Is.True);

        fat.Exit(0);
        var table = await harness.SnapshotAsync();
        Assert.That(table.Select(w => (w.Id, w.State, w.Pid)), Is.EquivalentTo(new[] { (0, WorkerState.Ready, (int?)harness.Launcher.Latest(0).Pid), (1, WorkerState.Ready, (int?)replacement.Pid) }));
        Assert.That(harness.Log.Contains("Exited -> Stopped: not restarted: it has been replaced"), Is.True);
    }

    [Test]
    public async Task A_worker_that_served_its_request_limit_plus_jitter_is_recycled()
    {
        // The harness's random source is 0.5: jitter 100 adds 50.
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, recycle: new RecycleConfig { MaxRequests = 1000, MaxRequestsJitter = 100 }));
        await harness.AllReadyAsync();
        var worker = harness.Launcher.Latest(0);
        var endpoint = new WorkerEndpoint(AppConfig.DefaultName, 0, worker.Pid, worker.Port);

        harness.FrontEnd.SetServed(endpoint, 1049);
        await harness.AdvanceAsync(Tick);
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(1));

        harness.FrontEnd.SetServed(endpoint, 1050);
        await harness.AdvanceAsync(Tick);
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2));
        Assert.That(harness.Log.Contains("recycling: served 1050 requests, its limit is 1050 (recycle.maxRequests 1000 plus jitter)"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task An_old_worker_still_busy_at_the_drain_timeout_is_stopped_anyway()
    {
        var (harness, old) = await OneWorkerRecyclingAsync();
        await using var _ = harness;
        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);
        await harness.SnapshotAsync();

        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.That(old.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Log.Contains("Draining -> Stopping: still had requests in flight after worker.drainTimeout (30s)"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task If_the_replacement_fails_the_old_worker_keeps_serving_and_the_recycle_is_retried_later()
    {
        var (harness, old) = await OneWorkerRecyclingAsync();
        await using var _ = harness;

        harness.Launcher.Latest(0).Exit(1);
        var table = await harness.SnapshotAsync();

        Assert.That(table.Select(w => (w.State, w.Pid)), Is.EqualTo(new[] { (WorkerState.Ready, (int?)old.Pid) }));
        Assert.That(old.Signals, Is.Empty);
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EqualTo(new[] { old.Pid }));
        Assert.That(harness.Log.Contains($"Exited -> Stopped: this replacement for pid {old.Pid} failed; pid {old.Pid} keeps serving; next recycle attempt in 100ms"), Is.True, harness.Log.Text);

        await harness.AdvanceAsync(Tick);
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(3), "the recycle was not retried");
    }

    [Test]
    public async Task If_the_old_worker_dies_while_its_replacement_starts_it_is_not_restarted_twice()
    {
        var (harness, old) = await OneWorkerRecyclingAsync();
        await using var _ = harness;
        var replacement = harness.Launcher.Latest(0);

        old.Exit(137);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2));
        Assert.That(harness.Log.Contains($"Exited -> Stopped: not restarted: its replacement (pid {replacement.Pid}) is starting"), Is.True, harness.Log.Text);
        harness.Readiness.MarkReady(replacement.Port);
        await harness.SnapshotAsync();
        Assert.That(harness.FrontEnd.Current.Select(e => e.Pid), Is.EqualTo(new[] { replacement.Pid }));
    }

    [Test]
    public async Task Stopping_the_supervisor_during_a_recycle_stops_both_and_ends()
    {
        var (harness, _) = await OneWorkerRecyclingAsync();
        await using var disposal = harness;

        await harness.StopAndDrainAsync();
        foreach (var process in harness.Launcher.Launched)
        {
            Assert.That(process.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
            process.Exit(0);
        }

        await harness.Completion.WaitAsync(Waits.Patience);
    }

    /// <summary>One ready worker over its memory limit, its replacement just started.</summary>
    private static async Task<(LoopHarness Harness, FakeWorkerProcess Old)> OneWorkerRecyclingAsync()
    {
        var harness = new LoopHarness(TestConfigs.Create(workers: 1, recycle: new RecycleConfig { MaxMemoryMb = 100, MaxRequestsJitter = 0 }));
        await harness.AllReadyAsync();
        var old = harness.Launcher.Latest(0);
        harness.Memory.Set(old.Pid, 200);
        await harness.AdvanceAsync(Tick);
        return (harness, old);
    }
}
