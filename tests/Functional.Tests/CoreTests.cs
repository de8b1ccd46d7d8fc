using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>`supervisor start` with the failing-on-demand test worker.</summary>
public sealed class CoreTests : FunctionalTest
{
    [Test]
    public async Task Requests_reach_every_worker()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 3));

        var workers = await supervisor.WaitForAllWorkersAsync(3);

        Assert.That(workers.Values.Distinct().Count(), Is.EqualTo(3), "three ids but not three processes");
        Assert.That(supervisor.WorkerPids(), Is.EquivalentTo(workers.Values));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_killed_worker_is_replaced_with_the_same_id_and_gets_no_traffic_before_it_is_ready()
    {
        var config = SupervisorHarness.TestWorkerConfig(
            workers: 2,
            worker: new JsonObject { ["readiness"] = new JsonObject { ["path"] = "/ready" } },
            env: new JsonObject { ["TEST_READY_DELAY_MS"] = "1500" });
        var supervisor = Start(config);
        var before = await supervisor.WaitForAllWorkersAsync(2);
        var victim = before[1];

        var load = LoadGenerator.Get(supervisor.Url);
        await load.WaitForAnswersAsync(10, what: "before the kill");
        var killedAt = Stopwatch.StartNew();
        Posix.Signal(victim, Posix.SIGKILL);
        var ready = await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid (?!{victim}\])(\d+)\] Starting -> Ready", SupervisorHarness.Patience);
        var replacement = int.Parse(ready.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        TestContext.Progress.WriteLine($"replacement ready {killedAt.ElapsedMilliseconds} ms after kill -9 (1500 ms of it is the test worker's readiness delay)");
        await load.WaitForAnswersAsync(1, a => a.Pid == replacement, "from the replacement");
        var all = await load.StopAsync();

        Assert.That(replacement, Is.Not.EqualTo(victim));
        Assert.That(all.Where(a => a.BeforeReady), Is.Empty, "a request reached a worker before its readiness check passed");
        // A GET caught on the killed worker is retried on the other one: no client sees the kill.
        Assert.That(all.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty);
        var log = supervisor.Process.Output;
        // Under this load a request may find the dead worker's port closed before the loop reaps the process: then the
        // front end takes it out of rotation first (Ready -> Unhealthy), and the exit follows from there.
        var leftRotationFirst = log.Contains($"worker 1 [pid {victim}] Ready -> Unhealthy: the front end could not connect", StringComparison.Ordinal);
        var stateBeforeExit = leftRotationFirst ? "Unhealthy" : "Ready";
        Assert.That(log, Does.Match($@"worker 1 \[pid {victim}\] {stateBeforeExit} -> Exited: killed by SIGKILL \(out of memory\?\) after [\d.]+m?s uptime"));
        // restart.delay is 100ms, spread by the default jitter of ±20%.
        Assert.That(log, Does.Match($@"worker 1 \[pid {victim}\] Exited -> Backoff: restarting in (8\d|9\d|1[01]\d|120)ms \(restart #1\)"));
        Assert.That(log, Does.Contain($"worker 1 [pid {replacement}] Backoff -> Starting"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [TestCase(Posix.SIGTERM)]
    [TestCase(Posix.SIGINT)]
    public async Task Stopping_lets_in_flight_requests_finish_refuses_new_connections_stops_every_worker_and_exits_0(int signal)
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        await supervisor.WaitForAllWorkersAsync(2);
        // A request in flight until the test lets it finish: the worker answers once the file exists.
        var release = Path.Combine(TempFolder("hold"), "release");
        var inFlight = supervisor.Http.GetAsync($"/hold?file={Uri.EscapeDataString(release)}");
        await supervisor.Process.WaitForLineAsync(@"out\| test worker \d: GET /hold received", SupervisorHarness.Patience);

        supervisor.Process.Signal(signal);
        await supervisor.Process.WaitForLineAsync("stopping; in-flight requests have up to 30s to finish", SupervisorHarness.Patience);
        var refused = await Eventually.TrueAsync(async () => !await AcceptsConnectionAsync(supervisor.Port), SupervisorHarness.Patience);
        await File.WriteAllTextAsync(release, "done");

        using var response = await inFlight;
        Assert.That(refused, Is.True, "the front end still accepted connections while stopping");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the in-flight request was cut off");
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That((long)answer!["heldMs"]!, Is.GreaterThan(0), $"the answer came from a request that was not held: {answer}\n{supervisor.Process.Output}");
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(0), supervisor.Process.Output);
        Assert.That(supervisor.WorkerPids().Where(Posix.IsAlive), Is.Empty);
        Assert.That(supervisor.Process.Output, Does.Contain("supervisor stopped"));
    }

    [Test]
    public async Task A_request_longer_than_the_shutdown_timeout_is_cut_off_and_the_stop_still_completes()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["shutdownTimeout"] = "1s";
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);
        // Held until the worker's own bound (5 minutes): only the shutdown timeout can end it.
        var tooSlow = supervisor.Http.GetAsync($"/hold?file={Uri.EscapeDataString(Path.Combine(TempFolder("hold"), "never"))}");
        await supervisor.Process.WaitForLineAsync(@"out\| test worker 0: GET /hold received", SupervisorHarness.Patience);

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));

        Assert.That(async () => await tooSlow, Throws.InstanceOf<HttpRequestException>());
        Assert.That(supervisor.Process.Output, Does.Contain("requests still in flight after the shutdown timeout (1s) were aborted"));
    }

    [Test]
    public async Task A_worker_that_ignores_SIGTERM_is_killed_after_its_stop_timeout_and_the_supervisor_still_exits_0()
    {
        var config = SupervisorHarness.TestWorkerConfig(
            workers: 1,
            worker: new JsonObject { ["stopTimeout"] = "1s" },
            env: new JsonObject { ["TEST_IGNORE_SIGTERM"] = "1" });
        var supervisor = Start(config);
        var pid = (await supervisor.WaitForAllWorkersAsync(1))[0];

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));

        Assert.That(Posix.IsAlive(pid), Is.False);
        Assert.That(supervisor.Process.Output, Does.Contain($"worker 0 [pid {pid}] did not exit within 1s of SIGTERM; sending SIGKILL"));
        Assert.That(supervisor.Process.Output, Does.Contain($"worker 0 [pid {pid}] Stopping -> Exited: killed with SIGKILL after the stop timeout"));
    }

    [Test]
    public async Task SIGQUIT_stops_gracefully_and_a_second_one_while_stopping_kills_every_worker_at_once()
    {
        // Workers that ignore SIGTERM, with a stop timeout no test waits out: only the second SIGQUIT ends the stop.
        var config = SupervisorHarness.TestWorkerConfig(
            workers: 2,
            worker: new JsonObject { ["stopTimeout"] = "10m" },
            env: new JsonObject { ["TEST_IGNORE_SIGTERM"] = "1" });
        var supervisor = Start(config);
        var workers = await supervisor.WaitForAllWorkersAsync(2);

        supervisor.Process.Signal(Posix.SIGQUIT);
        await supervisor.Process.WaitForLineAsync("received SIGQUIT: stopping; in-flight requests have up to 30s to finish", SupervisorHarness.Patience);
        foreach (var id in workers.Keys)
        {
            await supervisor.Process.WaitForLineAsync($@"worker {id} \[pid \d+\] out\| test worker {id}: ignoring SIGTERM", SupervisorHarness.Patience);
        }

        Assert.That(workers.Values.All(Posix.IsAlive), Is.True, "the workers ignore SIGTERM");
        Assert.That(await supervisor.StopAsync(Posix.SIGQUIT), Is.EqualTo(0));

        Assert.That(supervisor.Process.Output, Does.Contain("received SIGQUIT while stopping: stopping at once (SIGKILL to every worker)"));
        Assert.That(workers.Values.Where(Posix.IsAlive), Is.Empty);
        foreach (var (id, pid) in workers)
        {
            Assert.That(supervisor.Process.Output, Does.Contain($"worker {id} [pid {pid}] Stopping -> Exited"));
        }
    }

    [Test]
    public async Task With_no_ready_worker_the_front_end_answers_503_with_json_at_once()
    {
        var config = SupervisorHarness.TestWorkerConfig(
            workers: 1,
            worker: new JsonObject { ["readiness"] = new JsonObject { ["path"] = "/ready" } },
            env: new JsonObject { ["TEST_READY_DELAY_MS"] = "600000" });
        var supervisor = Start(config);
        await supervisor.Process.WaitForLineAsync("front end listening", SupervisorHarness.Patience);

        // The worker will not be ready for 10 minutes: an answer at all (the client gives up after the harness's
        // patience) means the front end did not hold the request until a worker was ready.
        using var response = await supervisor.Http.GetAsync("/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That((string?)body!["error"], Is.EqualTo("no_worker_ready"));
        Assert.That((int)body["status"]!, Is.EqualTo(503));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Forwarded_headers_tell_the_worker_about_the_client_and_hop_by_hop_headers_stay_behind()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 1));
        await supervisor.WaitForAllWorkersAsync(1);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        // A client's own X-Forwarded-For is not trusted by default (forwardedHeaders "set"): it is replaced.
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        // Hop-by-hop: meant for the front end's own connection with the client, never passed on (RFC 9110 7.6.1).
        request.Headers.TryAddWithoutValidation("Connection", "keep-alive");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Connection", "keep-alive");
        request.Headers.TryAddWithoutValidation("TE", "gzip");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.TryAddWithoutValidation("X-End-To-End", "kept");
        using var response = await supervisor.Http.SendAsync(request);
        var headers = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        foreach (var hopByHop in new[] { "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Upgrade" })
        {
            Assert.That(headers.Keys, Has.None.EqualTo(hopByHop).IgnoreCase, $"the worker got {hopByHop}: {headers.GetValueOrDefault(hopByHop)}");
        }

        Assert.That(headers["X-End-To-End"], Is.EqualTo("kept"));
        Assert.That(headers["X-Forwarded-For"], Is.EqualTo("127.0.0.1"));
        Assert.That(headers["X-Forwarded-Proto"], Is.EqualTo("http"));
        Assert.That(headers["X-Forwarded-Host"], Is.EqualTo($"127.0.0.1:{supervisor.Port}"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task An_address_already_in_use_is_a_clear_error_with_exit_code_1_and_no_worker_started()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        var supervisor = Start(config, "--listen", $"http://127.0.0.1:{port}");

        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);

        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(1));
        Assert.That(supervisor.Process.Output, Does.Contain($"cannot listen on http://127.0.0.1:{port}"));
        Assert.That(supervisor.WorkerPids(), Is.Empty);
    }

    private static async Task<bool> AcceptsConnectionAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
