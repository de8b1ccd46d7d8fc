using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>The front end: retries when a worker dies, errors as JSON, rate limit, request limits, load-balancer health.</summary>
public sealed class FrontEndTests : FunctionalTest
{
    [Test]
    public async Task Killing_a_worker_every_two_seconds_under_load_fails_no_GET()
    {
        const int workers = 3;
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers));
        await supervisor.WaitForAllWorkersAsync(workers);

        var load = LoadGenerator.Start(supervisor, concurrency: 4);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var killed = new List<int>();
        for (var round = 0; round < 8; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            // Always a worker that is serving: the newest PID of the slot, found in the live status.
            var status = await supervisor.StatusAsync(bySocket: true);
            var victim = status["workers"]!.AsArray()
                .Select(w => w!.AsObject())
                .Where(w => (string?)w["state"] == "ready" && w["pid"] is not null)
                .Select(w => (int)w["pid"]!)
                .FirstOrDefault(pid => !killed.Contains(pid));
            if (victim == 0)
            {
                continue;
            }

            killed.Add(victim);
            Posix.Signal(victim, Posix.SIGKILL);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var answers = await load.StopAsync();
        TestContext.Progress.WriteLine($"{answers.Count} GETs in {clock.Elapsed.TotalSeconds:F1} s, {killed.Count} workers SIGKILLed; retries logged: {supervisor.Process.MatchingLines("retrying GET / on worker").Count}");

        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(killed, Has.Count.GreaterThanOrEqualTo(6), "the test did not kill a worker every 2 s");
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a GET failed while workers were being killed");
        Assert.That(answers.Select(a => a.WorkerId).Distinct(), Is.EquivalentTo(Enumerable.Range(0, workers)), "not every worker was hit");
        Assert.That(answers.Select(a => a.Pid).Intersect(killed).Count(), Is.GreaterThanOrEqualTo(killed.Count / 2), "the killed workers were not serving");
        // The front end's own retry lines say what happened; YARP's duplicate warnings with stack traces stay out.
        Assert.That(supervisor.Process.Output, Does.Not.Contain("An error was encountered before receiving a response"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_POST_in_flight_on_a_killed_worker_gets_a_JSON_502_and_is_not_retried()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        await supervisor.WaitForAllWorkersAsync(2);

        using var content = new StringContent("order #1", Encoding.UTF8, "text/plain");
        var post = supervisor.Http.PostAsync("/slow?ms=20000", content);
        var received = await supervisor.Process.WaitForLineAsync(@"worker (\d) \[pid (\d+)\] out\| test worker \d: POST /slow received 8 bytes", SupervisorHarness.Patience);
        Posix.Signal(int.Parse(received.Groups[2].Value, CultureInfo.InvariantCulture), Posix.SIGKILL);

        using var response = await post.WaitAsync(SupervisorHarness.Patience);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That((string?)body["error"], Is.EqualTo("bad_gateway"));
        Assert.That((int?)body["status"], Is.EqualTo(502));
        // Give a wrongly retried POST time to arrive before checking that it did not.
        await Task.Delay(500);
        Assert.That(supervisor.Process.MatchingLines("POST /slow received"), Has.Count.EqualTo(1), "the POST reached a second worker");
        // The log is written by a background thread: the line may follow the answer by a moment.
        await supervisor.Process.WaitForLineAsync("proxy error 502 for POST /slow", SupervisorHarness.Patience);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task The_request_over_the_rate_limit_gets_429_with_Retry_After_and_the_access_log_shows_each_request()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        config["rateLimit"] = new JsonObject { ["requests"] = 5, ["window"] = "1m" };
        config["loadBalancerHealth"] = new JsonObject { ["path"] = "/_cluster/health" };
        config["accessLog"] = new JsonObject { ["enabled"] = true };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(2);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var allowed = await supervisor.Http.GetAsync("/");
            statuses.Add(allowed.StatusCode);
        }

        using var rejected = await supervisor.Http.GetAsync("/");
        var body = JsonNode.Parse(await rejected.Content.ReadAsStringAsync())!;
        using var probe = await supervisor.Http.GetAsync("/_cluster/health");

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rejected.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
        Assert.That((string?)body["error"], Is.EqualTo("too_many_requests"));
        Assert.That(probe.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the load-balancer health probe must not count against the limit");
        // The access log: one line per request, with the worker that served it; the rejected one went to no worker.
        // It is written by a background thread, so the lines may follow the answers by a moment.
        const string Served = @"\] GET / 200 [\d.]+ms worker [01] 127\.0\.0\.1", Refused = @"\] GET / 429 [\d.]+ms worker - 127\.0\.0\.1";
        await Eventually.TrueAsync(() => supervisor.Process.MatchingLines(Served).Count >= 5 && supervisor.Process.MatchingLines(Refused).Count >= 1, SupervisorHarness.Patience);
        Assert.That(supervisor.Process.MatchingLines(Served), Has.Count.EqualTo(5));
        Assert.That(supervisor.Process.MatchingLines(Refused), Has.Count.EqualTo(1));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Request_limits_reject_oversized_bodies_too_many_headers_and_slow_clients()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["limits"] = new JsonObject
        {
            ["maxRequestBodySize"] = "1KB",
            ["maxRequestHeaderCount"] = 20,
            ["requestHeadersTimeout"] = "1s",
        };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(1);

        using var small = await supervisor.Http.PostAsync("/echo-size", new StringContent(new string('a', 1000)));
        using var large = await supervisor.Http.PostAsync("/echo-size", new StringContent(new string('a', 2000)));
        using var largeChunkedRequest = new HttpRequestMessage(HttpMethod.Post, "/echo-size") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string('a', 5000)))) };
        using var largeChunked = await supervisor.Http.SendAsync(largeChunkedRequest);
        using var manyHeadersRequest = new HttpRequestMessage(HttpMethod.Get, "/");
        for (var i = 0; i < 30; i++)
        {
            manyHeadersRequest.Headers.Add($"X-Extra-{i}", "x");
        }

        using var manyHeaders = await supervisor.Http.SendAsync(manyHeadersRequest);
        var slowClient = await SlowClientIsCutOffAsync(supervisor.Port);

        Assert.That(small.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(large.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((string?)JsonNode.Parse(await large.Content.ReadAsStringAsync())!["error"], Is.EqualTo("request_too_large"));
        Assert.That(largeChunked.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), "a chunked body over the limit");
        Assert.That(manyHeaders.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
        Assert.That(slowClient, Is.LessThan(TimeSpan.FromSeconds(10)), "a client that never finished its headers was not cut off");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task The_load_balancer_health_endpoint_says_503_with_no_ready_worker_200_with_one_and_503_while_draining()
    {
        var config = SupervisorHarness.TestWorkerConfig(
            workers: 1,
            worker: new JsonObject { ["readiness"] = new JsonObject { ["path"] = "/ready", ["timeout"] = "30s" } },
            env: new JsonObject { ["TEST_READY_DELAY_MS"] = "3000" });
        var healthPort = FreePort.Next();
        config["loadBalancerHealth"] = new JsonObject { ["path"] = "/_cluster/health", ["listen"] = $"http://127.0.0.1:{healthPort}", ["drainDelay"] = "3s" };
        var supervisor = Start(config);
        using var ownListener = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}"), Timeout = TimeSpan.FromSeconds(10) };

        var starting = await FirstAnswerAsync(supervisor.Http, "/_cluster/health");
        await supervisor.WaitForReadyAsync(1);
        // The log line comes a moment before the front end is told; poll briefly rather than race it.
        var ready = 0;
        await Eventually.TrueAsync(async () => (ready = await StatusOfAsync(supervisor.Http, "/_cluster/health")) == 200, TimeSpan.FromSeconds(5));
        var readyOnOwnPort = await StatusOfAsync(ownListener, "/anything");
        var readyBody = JsonNode.Parse(await supervisor.Http.GetStringAsync("/").ConfigureAwait(false));

        supervisor.Process.Signal(Posix.SIGTERM);
        await supervisor.Process.WaitForLineAsync("load-balancer health endpoint now answers 503", SupervisorHarness.Patience);
        var draining = await StatusOfAsync(supervisor.Http, "/_cluster/health");
        var drainingOnOwnPort = await StatusOfAsync(ownListener, "/");
        using var servedWhileDraining = await supervisor.Http.GetAsync("/");

        Assert.That(starting, Is.EqualTo(503), "before any worker was ready");
        Assert.That(ready, Is.EqualTo(200), supervisor.Process.Output);
        Assert.That(readyOnOwnPort, Is.EqualTo(200));
        Assert.That((int?)readyBody!["id"], Is.EqualTo(0));
        Assert.That(draining, Is.EqualTo(503));
        Assert.That(drainingOnOwnPort, Is.EqualTo(503));
        Assert.That(servedWhileDraining.StatusCode, Is.EqualTo(HttpStatusCode.OK), "requests are still served during the drain delay");
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(0));
    }

    /// <summary>The status of the first answer, once the front end listens (bounded by the harness's patience).</summary>
    private static async Task<int> FirstAnswerAsync(HttpClient http, string path)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var status = 0;
        for (var attempt = 0; attempt < 1000 && status == 0 && clock.Elapsed < SupervisorHarness.Patience; attempt++)
        {
            status = await StatusOfAsync(http, path);
            if (status == 0)
            {
                await Task.Delay(20);
            }
        }

        return status;
    }

    private static async Task<int> StatusOfAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>Sends half a request and waits for the server to close the connection; returns how long that took.</summary>
    private static async Task<TimeSpan> SlowClientIsCutOffAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            // Kestrel answers 408 (or just closes); either way the read ends with the connection.
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            return TimeSpan.MaxValue;
        }
        catch (SocketException)
        {
            // Reset by the server: cut off as well.
        }

        return clock.Elapsed;
    }
}
