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

        using var load = new CancellationTokenSource();
        var answers = LoadAsync(supervisor, load.Token);
        await Task.Delay(300);
        var killedAt = Stopwatch.StartNew();
        Posix.Signal(victim, Posix.SIGKILL);
        var ready = await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid (?!{victim}\])(\d+)\] Starting -> Ready", SupervisorHarness.Patience);
        var replacement = int.Parse(ready.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        TestContext.Progress.WriteLine($"replacement ready {killedAt.ElapsedMilliseconds} ms after kill -9 (1500 ms of it is the test worker's readiness delay)");
        var servedByReplacement = await Eventually.TrueAsync(() => answers.Snapshot().Any(a => a.Pid == replacement), SupervisorHarness.Patience);
        await load.CancelAsync();
        var all = await answers.Completion;

        Assert.That(servedByReplacement, Is.True, "the replacement never served");
        Assert.That(replacement, Is.Not.EqualTo(victim));
        Assert.That(all.Where(a => a.BeforeReady), Is.Empty, "a request reached a worker before its readiness check passed");
        Assert.That(all.Count(a => a.Status == 200), Is.GreaterThan(20));
        // A GET caught on the killed worker is retried on the other one: no client sees the kill.
        Assert.That(all.Where(a => a.Status != 200).Select(a => a.Status), Is.Empty);
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

    [Test]
    public async Task A_killed_worker_is_serving_again_promptly()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        var before = await supervisor.WaitForAllWorkersAsync(2);

        var clock = Stopwatch.StartNew();
        Posix.Signal(before[0], Posix.SIGKILL);
        var ready = await supervisor.Process.WaitForLineAsync($@"worker 0 \[pid (?!{before[0]}\])(\d+)\] Starting -> Ready", SupervisorHarness.Patience);
        TestContext.Progress.WriteLine($"worker 0 replaced and ready {clock.ElapsedMilliseconds} ms after kill -9");

        // A loose bound: this proves the restart is immediate, not a benchmark (README quotes the measured time).
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(int.Parse(ready.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.Not.EqualTo(before[0]));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [TestCase(Posix.SIGTERM)]
    [TestCase(Posix.SIGINT)]
    public async Task Stopping_lets_in_flight_requests_finish_refuses_new_connections_stops_every_worker_and_exits_0(int signal)
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        await supervisor.WaitForAllWorkersAsync(2);
        var slow = supervisor.Http.GetAsync("/slow?ms=2500");
        await Task.Delay(500);

        supervisor.Process.Signal(signal);
        await supervisor.Process.WaitForLineAsync("stopping; in-flight requests have up to 30s to finish", SupervisorHarness.Patience);
        var refused = await Eventually.TrueAsync(async () => !await AcceptsConnectionAsync(supervisor.Port), TimeSpan.FromSeconds(2));

        using var response = await slow;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the in-flight request was cut off");
        Assert.That((int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["slept"]!, Is.EqualTo(2500));
        Assert.That(refused, Is.True, "the front end still accepted connections while stopping");
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
        var tooSlow = supervisor.Http.GetAsync("/slow?ms=20000");
        await Task.Delay(300);

        var clock = Stopwatch.StartNew();
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "the stop waited for the request instead of the shutdown timeout");
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
    public async Task With_no_ready_worker_the_front_end_answers_503_with_json_at_once()
    {
        var config = SupervisorHarness.TestWorkerConfig(
            workers: 1,
            worker: new JsonObject { ["readiness"] = new JsonObject { ["path"] = "/ready" } },
            env: new JsonObject { ["TEST_READY_DELAY_MS"] = "600000" });
        var supervisor = Start(config);
        await supervisor.Process.WaitForLineAsync("front end listening", SupervisorHarness.Patience);

        var clock = Stopwatch.StartNew();
        using var response = await supervisor.Http.GetAsync("/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the front end held the request instead of answering");
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
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Connection", "keep-alive");
        request.Headers.TryAddWithoutValidation("X-End-To-End", "kept");
        using var response = await supervisor.Http.SendAsync(request);
        var headers = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;

        Assert.That(headers.Keys, Has.None.EqualTo("Keep-Alive").IgnoreCase.And.None.EqualTo("Proxy-Connection").IgnoreCase);
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

    private static LoadRun LoadAsync(SupervisorHarness supervisor, CancellationToken stop) => new(supervisor, stop);

    /// <summary>Sequential GETs, half on a kept-alive connection and half on new ones, until stopped (bounded in count).</summary>
    private sealed class LoadRun
    {
        private readonly List<Answer> _answers = [];

        public LoadRun(SupervisorHarness supervisor, CancellationToken stop) => Completion = RunAsync(supervisor, stop);

        public Task<List<Answer>> Completion { get; }

        public List<Answer> Snapshot()
        {
            lock (_answers)
            {
                return _answers.ToList();
            }
        }

        private async Task<List<Answer>> RunAsync(SupervisorHarness supervisor, CancellationToken stop)
        {
            using var fresh = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = new Uri(supervisor.Url) };
            for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
            {
                var client = i % 2 == 0 ? supervisor.Http : fresh;
                Answer answer;
                try
                {
                    using var response = await client.GetAsync("/", CancellationToken.None);
                    var body = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(CancellationToken.None) : null;
                    answer = new Answer((int)response.StatusCode, body is null ? 0 : (int)body["pid"]!, body is not null && (bool)body["beforeReady"]!);
                }
                catch (HttpRequestException)
                {
                    answer = new Answer(0, 0, false);
                }

                lock (_answers)
                {
                    _answers.Add(answer);
                }

                await Task.Delay(5, CancellationToken.None);
            }

            return Snapshot();
        }
    }

    private sealed record Answer(int Status, int Pid, bool BeforeReady);
}
