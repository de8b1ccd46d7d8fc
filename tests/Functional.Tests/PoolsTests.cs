using System.Net;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// Pools that follow the load (docs/pools.md), on the real binary with the test worker: a range grows under a burst
/// of slow requests and shrinks back once idle, and under a machine-wide cap a worker moves from the idle app to the
/// busy one. Every wait is for what status or the log says, bounded by <see cref="SupervisorHarness.Patience"/>.
/// </summary>
public sealed class PoolsTests : FunctionalTest
{
    private static readonly TimeSpan Patience = SupervisorHarness.Patience;

    private static JsonObject Range(int min, int max, int spare, string idleTimeout = "2s") => new()
    {
        ["min"] = min,
        ["max"] = max,
        ["spare"] = spare,
        ["idleTimeout"] = idleTimeout,
    };

    private static JsonObject TestWorker() => new()
    {
        ["command"] = "dotnet",
        ["args"] = new JsonArray(RepositoryPaths.TestWorkerDll),
        ["readiness"] = new JsonObject { ["path"] = "/ready" },
    };

    private static JsonObject? App(JsonObject? status, string app) =>
        status?["apps"]!.AsArray().Select(a => a!.AsObject()).FirstOrDefault(a => (string?)a["name"] == app);

    /// <summary>Waits until the app's status satisfies <paramref name="condition"/>; fails with the last status and the log.</summary>
    private static async Task<JsonObject> WaitForAppAsync(SupervisorHarness supervisor, string app, Func<JsonObject, JsonObject, bool> condition, string what) =>
        App(await supervisor.StatusWhenAsync(status => App(status, app) is { } found && condition(found, status), $"app {app}: {what}"), app)!;

    private static IEnumerable<JsonObject> Workers(JsonObject status, string app) =>
        status["workers"]!.AsArray().Select(w => w!.AsObject()).Where(w => (string?)w["app"] == app);

    /// <summary>Clients that each send GET /slow back to back until stopped; every answer's status is kept.</summary>
    private sealed class Load : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _clients;
        private readonly System.Collections.Concurrent.ConcurrentBag<HttpStatusCode> _answers = [];
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _failures = [];
        private readonly HttpClient _http;

        public Load(string url, string? host, int clients, int sleepMs)
        {
            _http = new HttpClient { BaseAddress = new Uri(url), Timeout = Patience };
            if (host is not null)
            {
                _http.DefaultRequestHeaders.Host = host;
            }

            _clients = [.. Enumerable.Range(0, clients).Select(_ => Task.Run(() => RunAsync(sleepMs)))];
        }

        public IReadOnlyCollection<HttpStatusCode> Answers => _answers;

        public IReadOnlyCollection<string> Failures => _failures;

        private async Task RunAsync(int sleepMs)
        {
            // Bounded in count as well as by the stop.
            for (var i = 0; i < 10_000 && !_stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await _http.GetAsync($"/slow?ms={sleepMs}", CancellationToken.None);
                    _answers.Add(response.StatusCode);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    _failures.Add(e.Message);
                }
            }
        }

        /// <summary>Stops sending and waits for every request under way to be answered.</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_clients).WaitAsync(Patience);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _http.Dispose();
            _stop.Dispose();
        }
    }

    [Test]
    public async Task A_range_grows_to_max_under_a_burst_of_slow_requests_and_back_to_min_once_idle_with_no_failed_request()
    {
        var supervisor = Start(new JsonObject
        {
            ["workers"] = Range(min: 1, max: 4, spare: 1),
            ["worker"] = TestWorker(),
        });
        await WaitForAppAsync(supervisor, "default", (app, _) => (int)app["workersReady"]! == 2, "min + spare = 2 ready at start");

        await using (var load = new Load(supervisor.Url, host: null, clients: 8, sleepMs: 300))
        {
            var grown = await WaitForAppAsync(supervisor, "default", (app, _) => (int)app["workersReady"]! == 4, "4 ready under the burst");
            Assert.That((int)grown["pool"]!["max"]!, Is.EqualTo(4));
            await load.StopAsync();
            Assert.That(load.Failures, Is.Empty);
            Assert.That(load.Answers.Where(code => code != HttpStatusCode.OK), Is.Empty, "every request of the burst was served");
            Assert.That(load.Answers, Is.Not.Empty);
        }

        Assert.That(supervisor.Process.MatchingLines(@"\[INF\] app default: 3 -> 4 workers: 0 of 3 idle"), Is.Not.Empty, supervisor.Process.Output);

        // Idle now: one retired per check once idle for idleTimeout (2s), drained and stopped, down to min 1.
        var shrunk = await WaitForAppAsync(supervisor, "default", (app, status) => (int)app["workersWanted"]! == 1 && Workers(status, "default").Count() == 1, "back to 1 worker");
        Assert.That((int)shrunk["workersReady"]!, Is.EqualTo(1));
        Assert.That(supervisor.Process.MatchingLines(@"\[INF\] app default: \d -> \d workers: worker \d idle for \d+(\.\d+)?s"), Has.Count.EqualTo(3), supervisor.Process.Output);
        Assert.That(supervisor.Process.MatchingLines(@"-> Exited: .*SIGKILL"), Is.Empty, "retired workers drained and stopped, not killed");
        var events = shrunk["scaleEvents"]!.AsArray().Select(e => ((string?)e!["direction"], (string?)e["reason"], (long)e["count"]!)).ToList();
        Assert.That(events, Does.Contain(("down", "idle", 3L)));
    }

    [Test]
    public async Task On_demand_behind_the_proxy_the_first_request_after_idle_waits_for_the_worker_it_starts_and_is_served()
    {
        var supervisor = Start(new JsonObject
        {
            ["workers"] = Range(min: 0, max: 2, spare: 1),
            ["worker"] = TestWorker(),
        });
        await WaitForAppAsync(supervisor, "default", (app, status) => (int)app["workersWanted"]! == 0 && !Workers(status, "default").Any(), "no worker while nothing waits");

        for (var round = 1; round <= 2; round++)
        {
            using var http = new HttpClient { BaseAddress = new Uri(supervisor.Url), Timeout = Patience };
            using var response = await http.GetAsync("/");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"round {round}: the request waited in the app's queue for the worker it started:\n{supervisor.Process.Output}");
            await WaitForAppAsync(supervisor, "default", (app, status) => (int)app["workersWanted"]! == 0 && !Workers(status, "default").Any(), $"round {round}: back to no worker once idle for idleTimeout");
        }

        Assert.That(supervisor.Process.MatchingLines(@"\[INF\] app default: 0 -> 1 workers: on demand, 0 of 0 idle, 1 queued"), Has.Count.EqualTo(2), supervisor.Process.Output);
    }

    [Test]
    public async Task On_demand_with_a_shared_socket_a_connection_waiting_in_the_accept_queue_starts_a_worker_and_is_served_and_idle_the_app_has_no_worker_again()
    {
        var supervisor = Start(new JsonObject
        {
            ["frontEnd"] = "sharedSocket",
            ["workers"] = Range(min: 0, max: 2, spare: 1),
            ["worker"] = TestWorker(),
        });
        await supervisor.Process.WaitForLineAsync(@"frontEnd sharedSocket: workers accept from this socket themselves", Patience);
        await WaitForAppAsync(supervisor, "default", (app, status) => (int)app["workersWanted"]! == 0 && !Workers(status, "default").Any(), "no worker while nothing waits");

        for (var round = 1; round <= 2; round++)
        {
            // A new connection each time (Connection: close): a worker holding a keep-alive connection is busy.
            using var http = new HttpClient { BaseAddress = new Uri(supervisor.Url), Timeout = Patience };
            http.DefaultRequestHeaders.ConnectionClose = true;
            using var response = await http.GetAsync("/");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"round {round}: the connection waited in the accept queue for the worker it started");
            await WaitForAppAsync(supervisor, "default", (app, status) => (int)app["workersWanted"]! == 0 && !Workers(status, "default").Any(), $"round {round}: the worker retired once idle for idleTimeout");
        }

        Assert.That(supervisor.Process.MatchingLines(@"\[INF\] app default: 0 -> 1 workers: on demand, 0 of 0 idle, 1 queued"), Has.Count.EqualTo(2), supervisor.Process.Output);
        Assert.That(supervisor.Process.MatchingLines(@"\[INF\] app default: 1 -> 0 workers: worker \d idle for"), Has.Count.EqualTo(2), supervisor.Process.Output);
    }

    [Test]
    public async Task Under_a_machine_wide_cap_of_3_a_worker_moves_from_the_idle_app_to_the_busy_one()
    {
        var supervisor = Start(new JsonObject
        {
            ["maxWorkers"] = 3,
            ["apps"] = new JsonObject
            {
                ["quiet"] = new JsonObject { ["hosts"] = new JsonArray("quiet.test"), ["workers"] = Range(min: 1, max: 3, spare: 1, idleTimeout: "1h"), ["worker"] = TestWorker() },
                ["busy"] = new JsonObject { ["hosts"] = new JsonArray("busy.test"), ["workers"] = Range(min: 1, max: 3, spare: 1, idleTimeout: "1h"), ["worker"] = TestWorker() },
            },
        });

        // min + spare is 2 each; under the cap the last app starts with its min.
        await WaitForAppAsync(supervisor, "quiet", (app, status) => (int)app["workersReady"]! == 2 && (int)App(status, "busy")!["workersReady"]! == 1, "quiet 2 and busy 1 ready");

        await using (var load = new Load(supervisor.Url, host: "busy.test", clients: 4, sleepMs: 300))
        {
            var status = await WaitForAppAsync(supervisor, "busy", (app, all) => (int)app["workersReady"]! == 2 && Workers(all, "quiet").Count() == 1, "busy 2 ready and quiet down to 1");
            Assert.That((int)App(await supervisor.StatusAsync(), "quiet")!["workersWanted"]!, Is.EqualTo(1));
            await load.StopAsync();
            Assert.That(load.Failures, Is.Empty);
            Assert.That(load.Answers.Where(code => code != HttpStatusCode.OK), Is.Empty);
        }

        Assert.That(supervisor.Process.MatchingLines(@"\[INF\] app quiet: 2 -> 1 workers: maxWorkers 3 reached and app busy needs a worker; quiet has the most idle"), Has.Count.EqualTo(1), supervisor.Process.Output);
        Assert.That(supervisor.Process.MatchingLines(@"\[INF\] app busy: 1 -> 2 workers: 0 of 1 idle"), Is.Not.Empty, supervisor.Process.Output);
    }
}
