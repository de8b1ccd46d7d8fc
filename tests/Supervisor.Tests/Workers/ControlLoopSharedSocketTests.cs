using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Workers;

/// <summary>
/// With a shared socket no request passes through the supervisor: a worker leaving is told to stop at once (SIGTERM:
/// it stops accepting and finishes its requests itself), still only after its replacement is ready.
/// </summary>
public sealed class ControlLoopSharedSocketTests
{
    private static LoopHarness SharedHarness(SupervisorConfig config) =>
        new(config with { FrontEnd = FrontEndMode.SharedSocket }, harness => harness.FrontEnd.ReachableOutOfRotation = true);

    [Test]
    public async Task A_rolling_reload_stops_each_old_worker_as_soon_as_its_replacement_is_ready()
    {
        await using var harness = SharedHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        var originals = harness.Launcher.Launched.ToList();

        var answer = await harness.RequestAsync(reply => new ReloadRequested(reply));
        for (var slot = 0; slot < 2; slot++)
        {
            var replacement = harness.Launcher.Launched[^1];
            Assert.That(originals[slot].Signals, Is.Empty, $"slot {slot}: stopped before its replacement was ready");
            harness.Readiness.MarkReady(replacement.Port);
            await harness.SnapshotAsync();
            Assert.That(originals[slot].Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }), "no drain by request counts: SIGTERM at once");
            originals[slot].Exit(0);
        }

        Assert.That((await answer.WaitAsync(Waits.Patience)).Ok, Is.True);
        Assert.That(harness.Log.Contains($"worker 0 [pid {originals[0].Pid}] Ready -> Stopping: replaced by pid {harness.Launcher.Launched[2].Pid}; it stops accepting from the shared socket and finishes its requests; sending SIGTERM"), Is.True, harness.Log.Text);
        Assert.That(harness.Log.Contains("-> Draining"), Is.False);
    }

    [Test]
    public async Task Scaling_down_stops_the_removed_worker_at_once()
    {
        await using var harness = SharedHarness(TestConfigs.Create(workers: 2));
        await harness.AllReadyAsync();
        var removed = harness.Launcher.Latest(1);

        var answer = await harness.RequestAsync(reply => new ScaleRequested(new ScaleTarget(1, Relative: false), reply));
        Assert.That(removed.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        removed.Exit(0);

        Assert.That((await answer.WaitAsync(Waits.Patience)).Ok, Is.True);
        Assert.That(harness.Log.Contains("Ready -> Stopping: scaled down to 1 worker(s) (supervisor scale); it stops accepting from the shared socket"), Is.True, harness.Log.Text);
    }

    [Test]
    public async Task A_recycled_worker_is_stopped_once_its_replacement_is_ready()
    {
        await using var harness = SharedHarness(TestConfigs.Create(workers: 1, recycle: new RecycleConfig { MaxMemoryMb = 100, MaxRequestsJitter = 0 }));
        await harness.AllReadyAsync();
        var fat = harness.Launcher.Latest(0);
        harness.Memory.Set(fat.Pid, 200);

        await harness.AdvanceAsync(ControlLoop.RecycleCheckInterval);
        var replacement = harness.Launcher.Latest(0);
        Assert.That(replacement, Is.Not.SameAs(fat));
        Assert.That(fat.Signals, Is.Empty);

        harness.Readiness.MarkReady(replacement.Port);
        await harness.SnapshotAsync();
        Assert.That(fat.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
    }

    [Test]
    public async Task An_unhealthy_worker_is_said_to_keep_accepting_until_it_is_restarted()
    {
        await using var harness = SharedHarness(TestConfigs.Create(workers: 1, health: new HealthConfig { HttpPath = "/healthz", Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(2), UnhealthyThreshold = 1, RestartThreshold = 3 }));
        await harness.AllReadyAsync();
        var port = harness.Launcher.Latest(0).Port;

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.That(harness.Health.Answer(port, HealthCheckResult.Fail("503")), Is.True);
        await harness.SnapshotAsync();

        Assert.That(harness.Log.Contains("Ready -> Unhealthy: 1 health checks failed in a row (503); it still accepts connections from the shared socket until it is restarted"), Is.True, harness.Log.Text);
    }
}
