using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// worker.stopSignal on every planned stop, and worker.killProcessGroup: whether a worker's own children are stopped
/// with it. The test worker records each stop signal it gets (TEST_SIGNAL_FILE) and starts a child on demand.
/// </summary>
public sealed class StopSignalTests : FunctionalTest
{
    [Test]
    public async Task A_worker_with_stopSignal_SIGINT_gets_SIGINT_on_a_scale_down_a_reload_and_the_stop()
    {
        var signals = Path.Combine(TempFolder("signals"), "received");
        var config = SupervisorHarness.TestWorkerConfig(workers: 2, new JsonObject { ["stopSignal"] = "SIGINT" }, new JsonObject { ["TEST_SIGNAL_FILE"] = signals });
        var supervisor = Start(config);
        var first = await supervisor.WaitForAllWorkersAsync(2);

        Assert.That(await supervisor.CommandAsync("scale", "1"), Is.EqualTo((0, "scaled down from 2 to 1 worker(s); removed workers drained and stopped")));
        Assert.That(await ReceivedAsync(signals, 1), Is.EqualTo(new[] { $"1 {first[1]} SIGINT" }));

        var (reloaded, output) = await supervisor.CommandAsync("reload");
        Assert.That(reloaded, Is.EqualTo(0), output);
        Assert.That(await ReceivedAsync(signals, 2), Is.EqualTo(new[] { $"1 {first[1]} SIGINT", $"0 {first[0]} SIGINT" }));
        var second = SupervisorHarness.PidsListedIn(await supervisor.StatusWhenAsync(s => SupervisorHarness.PidsListedIn(s).Count == 1, "one worker")).Single();

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(await ReceivedAsync(signals, 3), Is.EqualTo(new[] { $"1 {first[1]} SIGINT", $"0 {first[0]} SIGINT", $"0 {second} SIGINT" }));
        Assert.That(supervisor.Process.MatchingLines(@"-> Stopping: .*; sending SIGINT \(SIGKILL after 10s\)"), Has.Count.EqualTo(3));
        Assert.That(supervisor.Process.Output, Does.Not.Contain("sending SIGTERM").And.Not.Contain("sending SIGKILL"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task With_killProcessGroup_a_stop_takes_the_workers_own_children_with_it_and_without_leaves_them(bool killProcessGroup)
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 1, new JsonObject { ["killProcessGroup"] = killProcessGroup }, new JsonObject { ["TEST_START_CHILD"] = "1" }));
        await supervisor.WaitForAllWorkersAsync(1);
        var child = (int)(await supervisor.Http.GetFromJsonAsync<JsonObject>("/"))!["child"]!;
        Assert.That(child, Is.GreaterThan(0));

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));

        if (killProcessGroup)
        {
            Assert.That(await Eventually.TrueAsync(() => !Posix.IsAlive(child), SupervisorHarness.Patience), Is.True, "the worker's child outlived the stop");
            return;
        }

        var survived = Posix.IsAlive(child);
        Posix.Signal(child, Posix.SIGKILL);
        Assert.That(survived, Is.True, "the stop signal reached the worker's child, though killProcessGroup is false");
        Assert.That(await Eventually.TrueAsync(() => !Posix.IsAlive(child), SupervisorHarness.Patience), Is.True);
    }

    /// <summary>The lines of the signal file once it has <paramref name="count"/> (the workers write them as they stop).</summary>
    private static async Task<IReadOnlyList<string>> ReceivedAsync(string file, int count)
    {
        string[] Lines() => File.Exists(file) ? File.ReadAllLines(file) : [];
        await Eventually.TrueAsync(() => Lines().Length >= count, SupervisorHarness.Patience);
        return Lines();
    }
}
