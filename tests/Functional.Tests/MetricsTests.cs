using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>GET /metrics on the control socket and on metrics.listen, read with a strict Prometheus text parser.</summary>
public sealed class MetricsTests : FunctionalTest
{
    private const string TwoXx = "cluster_frontend_requests_total";
    private const string Latency = "cluster_frontend_request_duration_seconds_count";

    // The app of a config without "apps": the latency series of its requests.
    private static readonly (string, string) DefaultApp = ("app", "default");

    [Test]
    public async Task Metrics_parse_as_Prometheus_text_and_their_counters_move_when_requests_are_served_and_workers_restart()
    {
        var metricsPort = FreePort.Next();
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        config["metrics"] = new JsonObject { ["listen"] = $"http://127.0.0.1:{metricsPort}" };
        var supervisor = Start(config);
        var pids = await supervisor.WaitForAllWorkersAsync(2);
        using var socket = supervisor.ControlClient();
        using var loopback = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = SupervisorHarness.Patience };

        var before = await ScrapeAsync(socket);
        var beforeOnPort = await ScrapeAsync(loopback);
        const int requests = 40;
        for (var i = 0; i < requests; i++)
        {
            using var response = await supervisor.Http.GetAsync("/");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var after = await ScrapeAsync(socket);
        var afterOnPort = await ScrapeAsync(loopback);

        Assert.That(after.Value(TwoXx, ("code", "2xx")) - before.Value(TwoXx, ("code", "2xx")), Is.GreaterThanOrEqualTo(requests));
        Assert.That(after.Value(Latency, DefaultApp) - before.Value(Latency, DefaultApp), Is.GreaterThanOrEqualTo(requests));
        Assert.That(afterOnPort.Value(TwoXx, ("code", "2xx")) - beforeOnPort.Value(TwoXx, ("code", "2xx")), Is.GreaterThanOrEqualTo(requests));
        Assert.That(afterOnPort.Value(Latency, DefaultApp) - beforeOnPort.Value(Latency, DefaultApp), Is.GreaterThanOrEqualTo(requests));
        Assert.That(SentToWorkers(after) - SentToWorkers(before), Is.GreaterThanOrEqualTo(requests));
        Assert.That(after.Value("cluster_supervisor_workers_ready"), Is.EqualTo(2));
        Assert.That(after.Value("cluster_worker_state", ("worker", "0"), ("state", "ready")), Is.EqualTo(1));
        Assert.That(after.Value("cluster_worker_resident_memory_bytes", ("worker", "0")), Is.GreaterThan(1_000_000));
        Assert.That(after.Value("cluster_worker_restarts_total", ("worker", "0")), Is.Zero);

        var sinceKill = System.Diagnostics.Stopwatch.StartNew();
        Posix.Signal(pids[0], Posix.SIGKILL);
        // The third "-> Ready" line is worker 0's replacement.
        await supervisor.WaitForReadyAsync(3);
        var restarted = await ScrapeAsync(socket);

        Assert.That(restarted.Value("cluster_worker_restarts_total", ("worker", "0")), Is.EqualTo(1));
        Assert.That(restarted.Value("cluster_worker_restarts_total", ("worker", "1")), Is.Zero);
        Assert.That(restarted.Value("cluster_worker_state", ("worker", "0"), ("state", "ready")), Is.EqualTo(1));
        // The replacement started after the kill: its uptime counts from then (a second's slack for the clocks' rounding).
        Assert.That(restarted.Value("cluster_worker_uptime_seconds", ("worker", "0")), Is.LessThan(sinceKill.Elapsed.TotalSeconds + 1));
        Assert.That(restarted.Value(TwoXx, ("code", "2xx")), Is.GreaterThanOrEqualTo(after.Value(TwoXx, ("code", "2xx"))), "counters never go back");
        Assert.That((await ScrapeAsync(loopback)).Value("cluster_worker_restarts_total", ("worker", "0")), Is.EqualTo(1));

        using var elsewhere = await loopback.GetAsync("/v1/status");
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the metrics port serves /metrics only");
        Assert.That(supervisor.Process.Output, Does.Contain($"metrics listening on http://127.0.0.1:{metricsPort}/metrics"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task The_front_ends_own_answers_are_counted_by_status_class()
    {
        // A worker that never gets ready: every request is the front end's own 503.
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(
            workers: 1,
            worker: new JsonObject { ["readiness"] = new JsonObject { ["path"] = "/ready", ["timeout"] = "60s" } },
            env: new JsonObject { ["TEST_READY_DELAY_MS"] = "600000" }));
        using var socket = supervisor.ControlClient();
        await supervisor.Process.WaitForLineAsync("front end listening", SupervisorHarness.Patience);

        var before = await ScrapeAsync(socket);
        for (var i = 0; i < 5; i++)
        {
            using var response = await supervisor.Http.GetAsync("/");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        var after = await ScrapeAsync(socket);

        Assert.That(after.Value(TwoXx, ("code", "5xx")) - before.Value(TwoXx, ("code", "5xx")), Is.EqualTo(5));
        Assert.That(after.Value("cluster_frontend_no_worker_ready_total") - before.Value("cluster_frontend_no_worker_ready_total"), Is.EqualTo(5));
        Assert.That(after.Value("cluster_worker_state", ("worker", "0"), ("state", "starting")), Is.EqualTo(1));
        Assert.That(after.Value("cluster_supervisor_workers_ready"), Is.Zero);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Requests_and_their_latency_are_counted_under_the_app_each_was_routed_to()
    {
        JsonObject App(string host)
        {
            var app = SupervisorHarness.TestWorkerConfig(workers: 1);
            app["hosts"] = new JsonArray(host);
            return app;
        }

        var supervisor = Start(new JsonObject { ["apps"] = new JsonObject { ["shop"] = App("shop.test"), ["api"] = App("api.test") } });
        await supervisor.WaitForReadyAsync(2);
        var before = await supervisor.ScrapeAsync();

        var statuses = new List<HttpStatusCode>();
        foreach (var host in new[] { "shop.test", "shop.test", "shop.test", "api.test", "api.test", "nowhere.test" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Host = host;
            using var response = await supervisor.Http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        var after = await supervisor.ScrapeAsync();
        double Moved(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound }));
        Assert.That(Moved(Latency, ("app", "shop")), Is.EqualTo(3));
        Assert.That(Moved(Latency, ("app", "api")), Is.EqualTo(2));
        Assert.That(Moved("cluster_frontend_request_duration_seconds_bucket", ("app", "shop"), ("le", "+Inf")), Is.EqualTo(3));
        Assert.That(Moved("cluster_app_requests_total", ("app", "shop"), ("code", "2xx")), Is.EqualTo(3));
        Assert.That(Moved("cluster_app_requests_total", ("app", "api"), ("code", "2xx")), Is.EqualTo(2));
        static double Unrouted(PrometheusScrape scrape) => scrape.Named(Latency).Single(s => !s.Labels.ContainsKey("app")).Value;
        Assert.That(Unrouted(after) - Unrouted(before), Is.EqualTo(1), "the host no app serves: the series without an app");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_metrics_port_already_in_use_is_a_clear_error_with_exit_code_1_and_no_worker_started()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["metrics"] = new JsonObject { ["listen"] = $"http://127.0.0.1:{port}" };
        var supervisor = Start(config);

        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);

        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(1));
        Assert.That(supervisor.Process.Output, Does.Contain($"cannot listen for metrics on http://127.0.0.1:{port} (metrics.listen)"));
        Assert.That(supervisor.WorkerPids(), Is.Empty);
    }

    private static double SentToWorkers(PrometheusScrape scrape) => scrape.Named("cluster_worker_requests_total").Sum(s => s.Value);

    private static async Task<PrometheusScrape> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
        try
        {
            return PrometheusScrape.Parse(text);
        }
        catch (FormatException e)
        {
            Assert.Fail($"{e.Message}\n{text}");
            throw;
        }
    }
}
