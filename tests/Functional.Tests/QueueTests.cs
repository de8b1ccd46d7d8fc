using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// worker.maxConcurrency and the app's queue (docs/pools.md): the worker itself checks that it never has more than its
/// cap in flight (TEST_PEAK_IN_FLIGHT_FILE, TEST_MAX_IN_FLIGHT), the queue shows in status --json while requests wait,
/// and a full queue or a wait past queue.timeout get the front end's JSON 503 and 504. The workers are held busy with
/// GET /hold until the test has seen what it waits for, so nothing depends on how fast the machine is.
/// </summary>
public sealed class QueueTests : FunctionalTest
{
    private const string Hold = "/hold?file=";

    [Test]
    public async Task With_maxConcurrency_1_twenty_clients_wait_in_the_queue_in_status_and_each_worker_serves_one_request_at_a_time()
    {
        const int workers = 2, clients = 20;
        var peak = Path.Combine(TempFolder("peak"), "peak");
        var release = Path.Combine(TempFolder("hold"), "release");
        var config = SupervisorHarness.TestWorkerConfig(
            workers,
            worker: new JsonObject { ["maxConcurrency"] = 1 },
            env: new JsonObject { ["TEST_PEAK_IN_FLIGHT_FILE"] = peak, ["TEST_MAX_IN_FLIGHT"] = "1" });
        // The twenty wait for the holds, then 500 ms each, two at a time: generous for a loaded machine.
        config["queue"] = new JsonObject { ["timeout"] = "5m" };
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(workers);

        // One request held on each worker: both at their cap, so every client from now on waits in the queue.
        var holds = Enumerable.Range(0, workers).Select(_ => supervisor.Http.GetAsync(Hold + Uri.EscapeDataString(release))).ToList();
        await supervisor.Process.WaitForLineAsync(@"out\| test worker \d: GET /hold received", SupervisorHarness.Patience, skip: workers - 1);
        var slow = Enumerable.Range(0, clients).Select(_ => supervisor.Http.GetAsync("/slow?ms=500")).ToList();
        Assert.That(await QueuedBecomesAsync(supervisor, clients), Is.True, $"the {clients} clients never all showed as queued:\n{supervisor.Process.Output}");
        var status = await supervisor.StatusAsync();
        var (_, text) = await supervisor.CommandAsync("status");

        File.WriteAllText(release, "go");
        var answers = await Task.WhenAll(holds.Concat(slow).Select(AnswerAsync)).WaitAsync(SupervisorHarness.Patience * 2);

        Assert.That((int?)status["apps"]![0]!["queued"], Is.EqualTo(clients), "status --json while the clients wait");
        Assert.That(text, Does.Contain($", {clients} queued"), "status shows the queue too");
        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(200), string.Join("\n", answers.Select(a => a.Body)));
        Assert.That(answers.Skip(workers).Select(a => (int)JsonNode.Parse(a.Body)!["id"]!).Distinct().Order(), Is.EqualTo(new[] { 0, 1 }), "both workers took from the queue");
        // What the workers saw: never two requests at once, and the check did run (a peak of 1 was written).
        var peaks = Enumerable.Range(0, workers).Select(id => File.ReadAllText($"{peak}.{id}")).ToList();
        Assert.That(peaks, Is.All.EqualTo("1"), "the highest count of requests in flight each worker saw");
        Assert.That(supervisor.Process.MatchingLines("above TEST_MAX_IN_FLIGHT"), Is.Empty);
        var scrape = await supervisor.ScrapeAsync();
        Assert.That(scrape.Value("cluster_app_queue_wait_seconds_count", ("app", "default")), Is.GreaterThanOrEqualTo(clients), "every client waited");
        Assert.That(scrape.Value("cluster_app_queue_length", ("app", "default")), Is.Zero, "nothing waits any more");
        Assert.That(scrape.Value("cluster_app_queue_rejected_total", ("app", "default"), ("reason", "full")), Is.Zero);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Beyond_queue_maxLength_a_request_gets_503_with_Retry_After_while_the_waiting_ones_keep_their_arrival_time_and_health_probes_pass()
    {
        var release = Path.Combine(TempFolder("hold"), "release");
        var config = SupervisorHarness.TestWorkerConfig(workers: 1, worker: new JsonObject { ["maxConcurrency"] = 1 });
        config["queue"] = new JsonObject { ["maxLength"] = 5, ["timeout"] = "5m" };
        config["proxy"] = new JsonObject { ["requestStartHeader"] = true };
        config["loadBalancerHealth"] = new JsonObject { ["path"] = "/_cluster/health" };
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        var hold = supervisor.Http.GetAsync(Hold + Uri.EscapeDataString(release));
        await supervisor.Process.WaitForLineAsync(@"out\| test worker 0: GET /hold received", SupervisorHarness.Patience);
        var waiting = Enumerable.Range(0, 5).Select(_ => supervisor.Http.GetAsync("/headers")).ToList();
        Assert.That(await QueuedBecomesAsync(supervisor, 5), Is.True, $"the 5 requests never all showed as queued:\n{supervisor.Process.Output}");
        var queuedBy = MicrosecondsNow();
        var refused = new List<(HttpStatusCode Status, TimeSpan? RetryAfter, string? Type, JsonNode Body)>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await supervisor.Http.GetAsync("/headers");
            refused.Add((response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType, JsonNode.Parse(await response.Content.ReadAsStringAsync())!));
        }

        using var probe = await supervisor.Http.GetAsync("/_cluster/health");

        File.WriteAllText(release, "go");
        var answers = await Task.WhenAll(waiting.Prepend(hold).Select(AnswerAsync)).WaitAsync(SupervisorHarness.Patience);

        Assert.That(refused.Select(r => (r.Status, r.RetryAfter, r.Type)), Is.All.EqualTo((HttpStatusCode.ServiceUnavailable, (TimeSpan?)TimeSpan.FromSeconds(1), "application/json")));
        Assert.That(refused.Select(r => r.Body.ToJsonString()), Is.All.EqualTo("""{"error":"queue_full","detail":"Every worker is busy and 5 requests are waiting already (queue.maxLength); try again shortly.","status":503}"""));
        Assert.That(probe.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the load-balancer health path is answered by the front end, never queued");
        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(200), string.Join("\n", answers.Select(a => a.Body)));
        // Each waiting request was forwarded after the release, but its X-Request-Start is its arrival, before the test
        // saw it queued: the app sees the time it spent in the queue.
        var started = answers.Skip(1).Select(a => long.Parse(((string)JsonNode.Parse(a.Body)!["X-Request-Start"]!)[2..], CultureInfo.InvariantCulture)).ToList();
        Assert.That(started, Is.All.LessThan(queuedBy), "X-Request-Start is the time the request arrived, not when it left the queue");
        var scrape = await supervisor.ScrapeAsync();
        Assert.That(scrape.Value("cluster_app_queue_rejected_total", ("app", "default"), ("reason", "full")), Is.EqualTo(3));
        Assert.That(scrape.Value("cluster_app_queue_rejected_total", ("app", "default"), ("reason", "timeout")), Is.Zero);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_request_that_waits_queue_timeout_gets_504_and_the_worker_it_waited_for_still_serves()
    {
        var release = Path.Combine(TempFolder("hold"), "release");
        var config = SupervisorHarness.TestWorkerConfig(workers: 1, worker: new JsonObject { ["maxConcurrency"] = 1 });
        config["queue"] = new JsonObject { ["timeout"] = "1s" };
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        var hold = supervisor.Http.GetAsync(Hold + Uri.EscapeDataString(release));
        await supervisor.Process.WaitForLineAsync(@"out\| test worker 0: GET /hold received", SupervisorHarness.Patience);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timedOut = await supervisor.Http.GetAsync("/slow?ms=1");
        var elapsed = clock.Elapsed;
        var body = await timedOut.Content.ReadAsStringAsync();

        File.WriteAllText(release, "go");
        var held = await AnswerAsync(hold).WaitAsync(SupervisorHarness.Patience);

        Assert.That(timedOut.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout), body);
        Assert.That(timedOut.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(body, Is.EqualTo("""{"error":"queue_timeout","detail":"No worker was free within 1s (queue.timeout).","status":504}"""));
        Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)), "answered before queue.timeout was up");
        Assert.That(supervisor.Process.MatchingLines("GET /slow received"), Is.Empty, "the request that timed out never reached the worker");
        Assert.That(held.Status, Is.EqualTo(200));
        var scrape = await supervisor.ScrapeAsync();
        Assert.That(scrape.Value("cluster_app_queue_rejected_total", ("app", "default"), ("reason", "timeout")), Is.EqualTo(1));
        Assert.That(scrape.Value("cluster_app_queue_wait_seconds_count", ("app", "default")), Is.EqualTo(1));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    /// <summary>Polls GET /v1/status on the control socket until the only app shows <paramref name="queued"/> requests waiting (bounded).</summary>
    private static async Task<bool> QueuedBecomesAsync(SupervisorHarness supervisor, int queued)
    {
        using var control = supervisor.ControlClient();
        return await Eventually.TrueAsync(
            async () => (int?)(await control.GetFromJsonAsync<JsonObject>("/v1/status"))!["apps"]![0]!["queued"] == queued,
            SupervisorHarness.Patience,
            TimeSpan.FromMilliseconds(100));
    }

    private static async Task<(int Status, string Body)> AnswerAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static long MicrosecondsNow() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}
