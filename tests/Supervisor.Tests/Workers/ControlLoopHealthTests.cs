using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Workers;

public sealed class ControlLoopHealthTests
{
    private static readonly HealthConfig Health = new()
    {
        HttpPath = "/healthz",
        Interval = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromMilliseconds(500),
        UnhealthyThreshold = 2,
        RestartThreshold = 3,
    };

    [Test]
    public async Task Without_a_health_path_no_check_is_ever_made()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1));
        await harness.AllReadyAsync();

        await harness.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.That(harness.Health.Pending(harness.Launcher.Latest(0).Port), Is.EqualTo(0));
    }

    [Test]
    public async Task Ready_workers_are_checked_every_interval_and_starting_ones_are_not()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2, health: Health));
        await harness.SnapshotAsync();
        harness.Readiness.MarkReady(harness.Launcher.Latest(0).Port);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.That(harness.Health.Pending(harness.Launcher.Latest(0).Port), Is.EqualTo(1));
        Assert.That(harness.Health.Pending(harness.Launcher.Latest(1).Port), Is.EqualTo(0));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.That(harness.Health.Pending(harness.Launcher.Latest(0).Port), Is.EqualTo(1), "a second check started while one was in flight");
    }

    [Test]
    public async Task Failing_the_unhealthy_threshold_takes_a_worker_out_of_rotation_and_a_pass_brings_it_back()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 2, health: Health));
        await harness.AllReadyAsync();
        var sick = harness.Launcher.Latest(1);

        await FailCheckAsync(harness, sick.Port, "GET /healthz answered 500");
        Assert.That((await harness.WorkerAsync(1)).State, Is.EqualTo(WorkerState.Ready), "one failure is below the threshold");
        await FailCheckAsync(harness, sick.Port, "GET /healthz answered 500");

        Assert.That((await harness.WorkerAsync(1)).State, Is.EqualTo(WorkerState.Unhealthy));
        Assert.That(harness.FrontEnd.Current.Select(e => e.WorkerId), Is.EqualTo(new[] { 0 }));
        Assert.That(harness.Log.Contains($"worker 1 [pid {sick.Pid}] Ready -> Unhealthy: 2 health checks failed in a row (GET /healthz answered 500); out of rotation"), Is.True, harness.Log.Text);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        harness.Health.Answer(sick.Port, HealthCheckResult.Pass);
        await harness.SnapshotAsync();

        Assert.That((await harness.WorkerAsync(1)).State, Is.EqualTo(WorkerState.Ready));
        Assert.That(harness.FrontEnd.Current.Select(e => e.WorkerId), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(harness.Log.Contains("Unhealthy -> Ready: health check passed after 2 failures; back in rotation"), Is.True);
    }

    [Test]
    public async Task A_worker_that_stays_unhealthy_is_restarted()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, health: Health));
        await harness.AllReadyAsync();
        var hung = harness.Launcher.Latest(0);

        for (var i = 0; i < 3; i++)
        {
            await FailCheckAsync(harness, hung.Port, "GET /healthz got no answer within 500ms");
        }

        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Stopping));
        Assert.That(hung.Signals, Is.EqualTo(new[] { PosixSignals.SIGTERM }));
        Assert.That(harness.Log.Contains("Unhealthy -> Stopping: still unhealthy after 3 failed health checks (GET /healthz got no answer within 500ms); restarting it"), Is.True, harness.Log.Text);

        hung.Exit(128 + PosixSignals.SIGTERM);
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        Assert.That(harness.Launcher.Launched, Has.Count.EqualTo(2));
        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Starting));
    }

    [Test]
    public async Task A_pass_resets_the_count_of_failures_in_a_row()
    {
        await using var harness = new LoopHarness(TestConfigs.Create(workers: 1, health: Health));
        await harness.AllReadyAsync();
        var port = harness.Launcher.Latest(0).Port;

        await FailCheckAsync(harness, port, "flaky");
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        harness.Health.Answer(port, HealthCheckResult.Pass);
        await FailCheckAsync(harness, port, "flaky");

        Assert.That((await harness.WorkerAsync(0)).State, Is.EqualTo(WorkerState.Ready));
    }

    private static async Task FailCheckAsync(LoopHarness harness, int port, string detail)
    {
        if (harness.Health.Pending(port) == 0)
        {
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.That(harness.Health.Answer(port, HealthCheckResult.Fail(detail)), Is.True, "no health check was pending");
        await harness.SnapshotAsync();
    }
}
