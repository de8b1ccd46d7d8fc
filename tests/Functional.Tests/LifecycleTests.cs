using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>The lifecycle a production server can trust: backoff, crash loops, readiness, health, recycling.</summary>
public sealed class LifecycleTests : FunctionalTest
{
    [Test]
    public async Task A_crash_looping_worker_is_restarted_ever_more_slowly_while_the_others_serve_every_request()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2, env: new JsonObject { ["TEST_ONLY_ID"] = "1", ["TEST_FAIL_AT_BOOT"] = "1" });
        config["restart"] = new JsonObject { ["delay"] = "50ms", ["maxDelay"] = "800ms", ["crashLoopAfter"] = 3, ["jitter"] = 0 };
        var supervisor = Start(config);
        await supervisor.Process.WaitForLineAsync(@"worker 0 \[pid \d+\] Starting -> Ready", SupervisorHarness.Patience);

        var load = LoadGenerator.Get(supervisor.Url);
        await supervisor.Process.WaitForLineAsync(@"worker 1 \[pid \d+\] Exited -> CrashLoop: crash loop: 4 exits in a row", SupervisorHarness.Patience);
        await load.WaitForAnswersAsync(21, what: "while worker 1 crash-looped");
        var answers = await load.StopAsync();

        Assert.That(answers.Where(a => a.Failed), Is.Empty, "a request failed while worker 1 was crash-looping");
        Assert.That(answers.Select(a => a.WorkerId).Distinct(), Is.EqualTo(new[] { 0 }));
        var log = supervisor.Process.Output;
        Assert.That(log, Does.Contain("worker 1 [pid ").And.Contain("Starting -> Exited: exited with code 1"));
        Assert.That(log, Does.Contain("Exited -> Backoff: restarting in 50ms (restart #1)"));
        Assert.That(log, Does.Contain("Exited -> Backoff: restarting in 100ms (restart #2)"));
        Assert.That(log, Does.Contain("Exited -> CrashLoop: crash loop: 3 exits in a row within 30s of starting; restarting in 200ms (restart #3)"));
        Assert.That(supervisor.PidsOf(1), Has.Count.InRange(4, 6), "restarts were not bounded by the backoff");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task With_max_restarts_a_crash_looping_slot_is_given_up_and_the_supervisor_keeps_serving()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2, env: new JsonObject { ["TEST_ONLY_ID"] = "1", ["TEST_FAIL_AT_BOOT"] = "1" });
        config["restart"] = new JsonObject { ["delay"] = "50ms", ["maxRestarts"] = 2, ["window"] = "1m" };
        var supervisor = Start(config);

        await supervisor.Process.WaitForLineAsync(@"worker 1 \[pid \d+\] Exited -> Failed: 3 exits within 5m00s exceed restart.maxRestarts \(2\): giving up|worker 1 \[pid \d+\] Exited -> Failed: 3 exits within 1m00s exceed restart.maxRestarts \(2\): giving up", SupervisorHarness.Patience);
        await supervisor.WaitForAllWorkersAsync(1);

        // The loop's own state says no restart is pending: a restart would have left the slot in Backoff.
        Assert.That(await SlotStateAsync(supervisor, 1), Is.EqualTo("failed"));
        Assert.That(supervisor.PidsOf(1), Has.Count.EqualTo(3), "the failed slot was started again");
        Assert.That((await supervisor.Http.GetAsync("/")).IsSuccessStatusCode, Is.True);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(supervisor.Process.Output, Does.Contain("Failed -> Stopped: cleared: the supervisor is stopping"));
    }

    [Test]
    public async Task A_do_not_restart_exit_code_is_reported_and_not_restarted()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2, env: new JsonObject { ["TEST_ONLY_ID"] = "1", ["TEST_FAIL_AT_BOOT"] = "3" });
        config["restart"] = new JsonObject { ["noRestartExitCodes"] = new JsonArray(3, 4) };
        var supervisor = Start(config);

        await supervisor.Process.WaitForLineAsync(@"worker 1 \[pid \d+\] Exited -> Failed: exit code 3 is listed in restart.noRestartExitCodes: not restarted", SupervisorHarness.Patience);
        await supervisor.WaitForAllWorkersAsync(1);

        Assert.That(await SlotStateAsync(supervisor, 1), Is.EqualTo("failed"));
        Assert.That(supervisor.PidsOf(1), Has.Count.EqualTo(1));
        Assert.That(supervisor.Process.Output, Does.Contain("err| test worker 1: failing at boot with exit code 3"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_worker_never_ready_is_stopped_at_the_readiness_timeout_and_retried()
    {
        // One slot, the one under test: the short readiness timeout applies to every worker, and a healthy .NET worker
        // can take longer than that to listen on a loaded machine.
        var config = SupervisorHarness.TestWorkerConfig(
            workers: 1,
            worker: new JsonObject { ["readiness"] = new JsonObject { ["path"] = "/ready", ["timeout"] = "1s" } },
            env: new JsonObject { ["TEST_READY_DELAY_MS"] = "600000" });
        var supervisor = Start(config);

        var timedOut = await supervisor.Process.WaitForLineAsync(@"worker 0 \[pid (\d+)\] Starting -> Stopping: not ready within 1s \(GET /ready\); counted as a failed start", SupervisorHarness.Patience);
        var first = int.Parse(timedOut.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await supervisor.Process.WaitForLineAsync($@"worker 0 \[pid {first}\] Stopping -> Exited", SupervisorHarness.Patience);
        await supervisor.Process.WaitForLineAsync($@"worker 0 \[pid (?!{first}\])\d+\] Backoff -> Starting", SupervisorHarness.Patience);

        Assert.That(Posix.IsAlive(first), Is.False);
        await supervisor.Process.WaitForLineAsync("front end listening", SupervisorHarness.Patience);
        using var response = await supervisor.Http.GetAsync("/");
        Assert.That((int)response.StatusCode, Is.EqualTo(503), "a worker that is not ready gets no request");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_hung_worker_is_taken_out_of_rotation_then_restarted()
    {
        // The health timeout applies to the healthy worker too: generous, as the hung one never answers anyway.
        var config = SupervisorHarness.TestWorkerConfig(workers: 2, worker: new JsonObject { ["stopTimeout"] = "1s" });
        config["health"] = new JsonObject { ["path"] = "/healthz", ["interval"] = "300ms", ["timeout"] = "2s", ["unhealthyThreshold"] = 2, ["restartThreshold"] = 3 };
        var supervisor = Start(config);
        var workers = await supervisor.WaitForAllWorkersAsync(2);
        var hung = workers[1];

        var load = LoadGenerator.Get(supervisor.Url, requestTimeout: TimeSpan.FromSeconds(5));
        await load.WaitForAnswersAsync(10, what: "before the hang");
        await HangAsync(supervisor, 1);
        // On a loaded machine a check may time out before the hang too; the worker then comes back (Unhealthy -> Ready)
        // and serves until it hangs. What counts is the last time it left the rotation.
        var outOfRotationAt = DateTime.MinValue;
        for (var comebacks = 0; comebacks < 10; comebacks++)
        {
            await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid {hung}\] Ready -> Unhealthy: 2 health checks failed in a row \(GET /healthz got no answer within 2s\); out of rotation", SupervisorHarness.Patience, skip: comebacks);
            outOfRotationAt = DateTime.UtcNow;
            var next = await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid {hung}\] Unhealthy -> (Ready|Stopping)", SupervisorHarness.Patience, skip: comebacks);
            if (next.Groups[1].Value == "Stopping")
            {
                break;
            }
        }

        await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid {hung}\] Unhealthy -> Stopping: still unhealthy after 3 failed health checks", SupervisorHarness.Patience);
        var restarted = await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid (?!{hung}\])(\d+)\] Starting -> Ready", SupervisorHarness.Patience);
        var replacement = int.Parse(restarted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await load.WaitForAnswersAsync(1, a => a.Pid == replacement, "from the replacement");
        var answers = await load.StopAsync();

        // Requests sent before the worker left the rotation may hang on it until their timeout; none sent after may go to it.
        var afterwards = answers.Where(a => a.Started > outOfRotationAt).ToList();
        Assert.That(afterwards, Is.Not.Empty);
        Assert.That(afterwards.Where(a => a.Pid == hung), Is.Empty, "the hung worker still got traffic after it was taken out of rotation");
        Assert.That(afterwards.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "requests failed after the hung worker left the rotation");
        Assert.That(Posix.IsAlive(hung), Is.False);
        Assert.That(supervisor.Process.Output, Does.Contain($"worker 1 [pid {hung}] did not exit within 1s of SIGTERM; sending SIGKILL"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_worker_over_its_memory_limit_is_recycled_without_a_failed_request()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2, env: new JsonObject { ["TEST_ONLY_ID"] = "1", ["TEST_GROW_MB_PER_S"] = "50" });
        config["recycle"] = new JsonObject { ["maxMemoryMb"] = 250 };
        var supervisor = Start(config);
        var workers = await supervisor.WaitForAllWorkersAsync(2);
        var fat = workers[1];

        var load = LoadGenerator.Get(supervisor.Url);
        await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid {fat}\] recycling: uses \d+ MB of resident memory, over recycle.maxMemoryMb \(250\); starting its replacement first", SupervisorHarness.Patience);
        var replaced = await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid {fat}\] Ready -> Draining: replaced by pid (\d+)", SupervisorHarness.Patience);
        await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid {fat}\] Exited -> Stopped: not restarted: it has been replaced", SupervisorHarness.Patience);
        var replacement = int.Parse(replaced.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await load.WaitForAnswersAsync(1, a => a.Pid == replacement, "from the replacement");
        var answers = await load.StopAsync();

        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a request failed during the recycle");
        Assert.That(answers.Select(a => a.Pid), Does.Contain(fat).And.Contain(replacement));
        Assert.That(Posix.IsAlive(fat), Is.False);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Workers_are_recycled_after_their_request_limit_without_a_failed_request()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        config["recycle"] = new JsonObject { ["maxRequests"] = 60, ["maxRequestsJitter"] = 30 };
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(2);

        var load = LoadGenerator.Get(supervisor.Url);
        var recycled = await Eventually.TrueAsync(() => supervisor.Process.MatchingLines(@"Exited -> Stopped: not restarted: it has been replaced").Count >= 3, SupervisorHarness.Patience);
        var answers = await load.StopAsync();

        Assert.That(recycled, Is.True, supervisor.Process.Output);
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a request failed during a recycle");
        Assert.That(supervisor.Process.MatchingLines(@"recycling: served (\d+) requests, its limit is (\d+)").Select(m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)), Is.All.InRange(60, 90));
        Assert.That(answers.Select(a => a.Pid).Distinct().Count(), Is.GreaterThanOrEqualTo(4));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_slow_starter_within_its_readiness_timeout_is_waited_for_not_punished()
    {
        var config = SupervisorHarness.TestWorkerConfig(
            workers: 1,
            worker: new JsonObject { ["readiness"] = new JsonObject { ["timeout"] = "60s" } },
            env: new JsonObject { ["TEST_LISTEN_DELAY_MS"] = "2000" });
        var supervisor = Start(config);

        var ready = await supervisor.Process.WaitForLineAsync(@"worker 0 \[pid \d+\] Starting -> Ready: TCP connect passed ([\d.]+)s after start", SupervisorHarness.Patience);

        Assert.That(double.Parse(ready.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2.0));
        Assert.That(supervisor.PidsOf(0), Has.Count.EqualTo(1));
        Assert.That((await supervisor.Http.GetAsync("/")).IsSuccessStatusCode, Is.True);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_worker_that_crashes_after_some_requests_is_reported_with_its_exit_code_and_restarted()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2, env: new JsonObject { ["TEST_ONLY_ID"] = "1", ["TEST_CRASH_AFTER_REQUESTS"] = "3" });
        var supervisor = Start(config);
        var workers = await supervisor.WaitForAllWorkersAsync(2);

        // Round robin: worker 1 gets every other request; sent until its crash shows in the log (bounded).
        for (var i = 0; i < 200 && supervisor.Process.MatchingLines($@"\[pid {workers[1]}\] err\| test worker 1: crashing on purpose").Count == 0; i++)
        {
            using var response = await supervisor.Http.GetAsync("/");
            Assert.That((int)response.StatusCode, Is.EqualTo(200), "the front end retries a GET its dying worker failed");
        }

        // The front end may find the dying worker's port closed (Ready -> Unhealthy) before the supervisor reaps its exit.
        await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid {workers[1]}\] (Ready|Unhealthy) -> Exited: exited with code 70 after", SupervisorHarness.Patience);
        await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid (?!{workers[1]}\])\d+\] Starting -> Ready", SupervisorHarness.Patience);
        Assert.That(supervisor.Process.Output, Does.Contain($"worker 1 [pid {workers[1]}] err| test worker 1: crashing on purpose after 3 requests"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    /// <summary>The slot's state as the control loop has it now (status --json).</summary>
    private static async Task<string?> SlotStateAsync(SupervisorHarness supervisor, int id) =>
        (string?)(await supervisor.StatusAsync())["workers"]!.AsArray().Single(w => (int)w!["id"]! == id)!["state"];

    /// <summary>Makes the worker in slot <paramref name="id"/> hang (POST /hang on its own port, found in status --json).</summary>
    private static async Task HangAsync(SupervisorHarness supervisor, int id)
    {
        var port = (int)(await supervisor.StatusAsync())["workers"]!.AsArray().Single(w => (int)w!["id"]! == id)!["port"]!;
        using var direct = new HttpClient { Timeout = SupervisorHarness.Patience };
        using var response = await direct.PostAsync($"http://127.0.0.1:{port}/hang", null);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }
}
