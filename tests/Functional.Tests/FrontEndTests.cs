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
    public async Task Killing_workers_one_after_another_under_load_fails_no_GET()
    {
        const int workers = 3, kills = 8;
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers));
        await supervisor.WaitForAllWorkersAsync(workers);

        var load = LoadGenerator.Get(supervisor.Url, concurrency: 4);
        var killed = new List<int>();
        for (var round = 0; round < kills; round++)
        {
            // Each slot in turn; its newest process, once the load has reached it: a worker killed while serving.
            var slot = round % workers;
            var victim = supervisor.PidsOf(slot)[^1];
            await load.WaitForAnswersAsync(1, a => a.Pid == victim, $"from worker {slot} (pid {victim})");
            var readyBefore = supervisor.Process.MatchingLines($@"worker {slot} \[pid \d+\] Starting -> Ready").Count;
            Posix.Signal(victim, Posix.SIGKILL);
            killed.Add(victim);
            // Its replacement is ready before the next kill: two workers of three always serve.
            await supervisor.Process.WaitForLineAsync($@"worker {slot} \[pid \d+\] Starting -> Ready", SupervisorHarness.Patience, skip: readyBefore);
        }

        var last = supervisor.PidsOf((kills - 1) % workers)[^1];
        await load.WaitForAnswersAsync(1, a => a.Pid == last, "from the last replacement");
        var answers = await load.StopAsync();
        TestContext.Progress.WriteLine($"{answers.Count} GETs, {killed.Count} workers SIGKILLed; retries logged: {supervisor.Process.MatchingLines("retrying GET / on worker").Count}");

        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a GET failed while workers were being killed");
        Assert.That(killed.Where(Posix.IsAlive), Is.Empty);
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
        var other = 1 - int.Parse(received.Groups[1].Value, CultureInfo.InvariantCulture);
        Posix.Signal(int.Parse(received.Groups[2].Value, CultureInfo.InvariantCulture), Posix.SIGKILL);

        using var response = await post.WaitAsync(SupervisorHarness.Patience);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That((string?)body["error"], Is.EqualTo("bad_gateway"));
        Assert.That((int?)body["status"], Is.EqualTo(502));
        // A retried POST would have reached the other worker before the 502 was sent; its output is in order, so once a
        // line it prints now has arrived, so has any line of such a POST.
        await PrintDirectlyAsync(supervisor, other, "after-the-502");
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
    public async Task The_rate_limit_is_a_budget_per_client_IP_address()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["rateLimit"] = new JsonObject { ["requests"] = 3, ["window"] = "1m" };
        config["accessLog"] = new JsonObject { ["enabled"] = true };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(1);
        // Two clients on one machine: every loopback address reaches the front end's 127.0.0.1.
        using var first = ClientFrom(IPAddress.Loopback, supervisor.Url);
        using var second = ClientFrom(IPAddress.Parse("127.0.0.2"), supervisor.Url);

        var firstStatuses = await StatusesAsync(first, 4);
        using var headers = await second.GetAsync("/headers");
        var seenBySecond = JsonNode.Parse(await headers.Content.ReadAsStringAsync())!;
        var secondStatuses = await StatusesAsync(second, 3);
        var firstAgain = await StatusesAsync(first, 1);

        Assert.That(firstStatuses, Is.EqualTo(new[] { 200, 200, 200, 429 }));
        Assert.That((headers.StatusCode, (string?)seenBySecond["X-Forwarded-For"]), Is.EqualTo((HttpStatusCode.OK, "127.0.0.2")), "the front end saw the second client's own address");
        Assert.That(secondStatuses, Is.EqualTo(new[] { 200, 200, 429 }), "127.0.0.2 has a budget of its own");
        Assert.That(firstAgain, Is.EqualTo(new[] { 429 }), "127.0.0.1's budget is still spent");
        // The access log is written by a background thread: the last line may follow the answer by a moment.
        await supervisor.Process.WaitForLineAsync(@"\] GET / 429 [\d.]+ms worker - 127\.0\.0\.2", SupervisorHarness.Patience);
        Assert.That(supervisor.Process.MatchingLines(@"\] GET / 200 [\d.]+ms worker 0 127\.0\.0\.2"), Has.Count.EqualTo(2));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task An_app_with_a_rate_limit_of_its_own_gets_429s_and_does_not_spend_the_budget_of_the_app_without_one()
    {
        // Windows of an hour: no window ends while the test runs, so every count below is exact.
        var limited = SupervisorHarness.TestWorkerConfig(workers: 1);
        limited["hosts"] = new JsonArray("limited.test");
        limited["rateLimit"] = new JsonObject { ["requests"] = 2, ["window"] = "1h" };
        var free = SupervisorHarness.TestWorkerConfig(workers: 1);
        free["hosts"] = new JsonArray("free.test");
        var config = new JsonObject
        {
            ["apps"] = new JsonObject { ["limited"] = limited, ["free"] = free },
            ["rateLimit"] = new JsonObject { ["requests"] = 6, ["window"] = "1h" },
        };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(2);

        async Task<List<int>> StatusesAsync(string host, int count)
        {
            var statuses = new List<int>();
            for (var i = 0; i < count; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Host = host;
                using var response = await supervisor.Http.SendAsync(request);
                statuses.Add((int)response.StatusCode);
            }

            return statuses;
        }

        var atLimited = await StatusesAsync("limited.test", 4);
        var atFree = await StatusesAsync("free.test", 6);
        var atFreeOnceMore = await StatusesAsync("free.test", 1);
        var atLimitedAgain = await StatusesAsync("limited.test", 1);
        var metrics = await supervisor.ScrapeAsync();

        Assert.That(atLimited, Is.EqualTo(new[] { 200, 200, 429, 429 }), "its own budget of 2");
        Assert.That(atFree, Is.All.EqualTo(200), "the same client's requests to the limited app did not count against the machine's budget");
        Assert.That(atFreeOnceMore, Is.EqualTo(new[] { 429 }), "the machine's budget of 6 holds for the app without one of its own");
        Assert.That(atLimitedAgain, Is.EqualTo(new[] { 429 }));
        Assert.That(metrics.Value("cluster_app_requests_total", ("app", "limited"), ("code", "4xx")), Is.EqualTo(3));
        Assert.That(metrics.Value("cluster_app_requests_total", ("app", "free"), ("code", "2xx")), Is.EqualTo(6));
        Assert.That(metrics.Value("cluster_frontend_rate_limited_total"), Is.EqualTo(4));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_worker_that_does_not_answer_within_proxy_requestTimeout_gets_the_client_a_JSON_504()
    {
        // One worker: a GET that timed out would be retried on another one.
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["proxy"] = new JsonObject { ["requestTimeout"] = "2s" };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(1);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await supervisor.Http.GetAsync($"/hold?file={Uri.EscapeDataString(Path.Combine(TempFolder("hold"), "never"))}");
        var elapsed = clock.Elapsed;
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(((string?)body["error"], (int?)body["status"]), Is.EqualTo(("worker_timeout", 504)));
        Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "answered before the worker's time was up");
        Assert.That(supervisor.Process.MatchingLines(@"out\| test worker 0: GET /hold received"), Has.Count.EqualTo(1));
        await supervisor.Process.WaitForLineAsync("proxy error 504 for GET /hold", SupervisorHarness.Patience);
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
        var slowClient = await SlowClientIsCutOffAsync(supervisor.Port, SupervisorHarness.Patience);

        Assert.That(small.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(large.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((string?)JsonNode.Parse(await large.Content.ReadAsStringAsync())!["error"], Is.EqualTo("request_too_large"));
        Assert.That(largeChunked.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), "a chunked body over the limit");
        Assert.That(manyHeaders.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
        // Cut off by the configured 1s, long before Kestrel's default of 30s would have.
        Assert.That(slowClient, Is.LessThan(TimeSpan.FromSeconds(20)), "a client that never finished its headers was not cut off by limits.requestHeadersTimeout");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task The_load_balancer_health_endpoint_says_503_with_no_ready_worker_200_with_one_and_503_while_draining()
    {
        // The worker is ready when the test says so (the file exists), and the drain delay is long enough for the
        // three requests made during it, however slow the machine.
        var readyFile = Path.Combine(TempFolder("ready"), "ready");
        var config = SupervisorHarness.TestWorkerConfig(
            workers: 1,
            worker: new JsonObject { ["readiness"] = new JsonObject { ["path"] = "/ready", ["timeout"] = "5m" } },
            env: new JsonObject { ["TEST_READY_WHEN_FILE"] = readyFile });
        var healthPort = FreePort.Next();
        config["loadBalancerHealth"] = new JsonObject { ["path"] = "/_cluster/health", ["listen"] = $"http://127.0.0.1:{healthPort}", ["drainDelay"] = "10s" };
        var supervisor = Start(config);
        using var ownListener = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}"), Timeout = SupervisorHarness.Patience };

        var starting = await FirstAnswerAsync(supervisor.Http, "/_cluster/health");
        await File.WriteAllTextAsync(readyFile, "ready");
        await supervisor.WaitForReadyAsync(1);
        // The log line comes a moment before the front end is told; poll rather than race it.
        var ready = 0;
        await Eventually.TrueAsync(async () => (ready = await StatusOfAsync(supervisor.Http, "/_cluster/health")) == 200, SupervisorHarness.Patience);
        var readyOnOwnPort = await StatusOfAsync(ownListener, "/anything");
        var readyBody = JsonNode.Parse(await supervisor.Http.GetStringAsync("/"));

        supervisor.Process.Signal(Posix.SIGTERM);
        await supervisor.Process.WaitForLineAsync("load-balancer health endpoint now answers 503", SupervisorHarness.Patience);
        var during = await Task.WhenAll(StatusOfAsync(supervisor.Http, "/_cluster/health"), StatusOfAsync(ownListener, "/"), StatusOfAsync(supervisor.Http, "/"));

        Assert.That(starting, Is.EqualTo(503), "before any worker was ready");
        Assert.That(ready, Is.EqualTo(200), supervisor.Process.Output);
        Assert.That(readyOnOwnPort, Is.EqualTo(200));
        Assert.That((int?)readyBody!["id"], Is.EqualTo(0));
        Assert.That(during, Is.EqualTo(new[] { 503, 503, 200 }), "draining: the health answers say 503 on both listeners, requests are still served");
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
    private static async Task<TimeSpan> SlowClientIsCutOffAsync(int port, TimeSpan patience)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(patience);
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

    /// <summary>Makes the worker in slot <paramref name="id"/> print a line (GET /print on its own port) and waits for it in the log.</summary>
    private static async Task PrintDirectlyAsync(SupervisorHarness supervisor, int id, string text)
    {
        var port = (int)(await supervisor.StatusAsync())["workers"]!.AsArray().Single(w => (int)w!["id"]! == id)!["port"]!;
        using var direct = new HttpClient { Timeout = SupervisorHarness.Patience };
        (await direct.GetAsync($"http://127.0.0.1:{port}/print?lines=1&text={text}")).Dispose();
        await supervisor.Process.WaitForLineAsync($@"worker {id} \[pid \d+\] out\| test worker {id}: {text} 1", SupervisorHarness.Patience);
    }

    /// <summary>The statuses of <paramref name="count"/> GET / in a row.</summary>
    private static async Task<int[]> StatusesAsync(HttpClient client, int count)
    {
        var statuses = new int[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync("/");
            statuses[i] = (int)response.StatusCode;
        }

        return statuses;
    }

    /// <summary>A client whose connections come from <paramref name="source"/> (bound before connecting to 127.0.0.1).</summary>
    private static HttpClient ClientFrom(IPAddress source, string url) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri(url),
        Timeout = SupervisorHarness.Patience,
    };
}
