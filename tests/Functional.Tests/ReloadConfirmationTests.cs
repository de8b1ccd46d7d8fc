using System.Diagnostics;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// reload.confirmAfter under continuous load: a reload to workers that are ready and then crash is rolled back to the
/// very processes that served before, a good reload is committed once the window has passed, and `supervisor
/// rollback` brings back the previous config's behaviour, with no failed request.
/// </summary>
public sealed class ReloadConfirmationTests : FunctionalTest
{
    private static JsonObject Config(string echo, string confirmAfter, JsonObject? env = null, string? frontEnd = null)
    {
        var variables = env ?? new JsonObject();
        variables["TEST_ECHO"] = echo;
        var config = SupervisorHarness.TestWorkerConfig(2, new JsonObject { ["readiness"] = new JsonObject { ["path"] = "/ready" } }, variables);
        config["reload"] = new JsonObject { ["confirmAfter"] = confirmAfter };
        if (frontEnd is not null)
        {
            config["frontEnd"] = frontEnd;
        }

        return config;
    }

    [Test]
    public async Task A_reload_to_workers_that_crash_after_they_are_ready_is_rolled_back_with_no_failed_request()
    {
        // The window is long (the crash ends it anyway); the crash hits only the last slot replaced, so it comes once
        // the whole new generation is ready and serving, inside the window.
        var supervisor = Start(Config("v1", "60s"));
        var old = (await supervisor.WaitForAllWorkersAsync(2)).Values.ToList();
        var load = LoadGenerator.Get(supervisor.Url, concurrency: 2);
        await load.WaitForAnswersAsync(20, what: "before the reload");

        supervisor.RewriteConfig(Config("v2", "60s", new JsonObject { ["TEST_ONLY_ID"] = "1", ["TEST_CRASH_AFTER_READY_MS"] = "2000" }));
        var (exitCode, output) = await supervisor.CommandAsync("reload");
        // The answer comes after the rollback was published to the front end: what is sent from now on goes to the old workers.
        var rolledBackAt = DateTime.UtcNow;
        await load.WaitForAnswersAsync(20, a => a.Started > rolledBackAt, "after the rollback");
        var answers = await load.StopAsync();

        Assert.That(exitCode, Is.EqualTo(1), output);
        // Whichever the supervisor sees first: the crashed worker's exit, or the front end's failed connection to it.
        Assert.That(output, Does.Match(@"reload rolled back: the new worker 1 \(pid \d+\) (exited with code 70 after [\d.]+s uptime|became unhealthy: the front end could not connect \(Connection refused\)); generation 1 is in force again; the old workers serve again: 0 \(pid \d+\), 1 \(pid \d+\)"));
        Assert.That(output, Does.Contain("its last output:").And.Contain("crashing on purpose after its time"));
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a GET failed during the reload or its rollback");
        Assert.That(answers.Where(a => a.Started > rolledBackAt).Select(a => a.Pid).Distinct(), Is.SubsetOf(old), "after the rollback only the old processes serve");
        Assert.That(old.All(Posix.IsAlive), Is.True);

        var status = await supervisor.StatusAsync();
        Assert.That((string?)status["supervisor"]!["lastReload"]!["result"], Is.EqualTo("rolledBack"));
        Assert.That((int)status["supervisor"]!["generation"]!, Is.EqualTo(1));
        Assert.That((long)status["supervisor"]!["reloads"]!["rolledBack"]!, Is.EqualTo(1));
        var reloads = (await supervisor.ScrapeAsync()).Named("cluster_supervisor_reloads_total").ToDictionary(r => r.Labels["result"], r => r.Value);
        Assert.That(reloads, Is.EqualTo(new Dictionary<string, double> { ["committed"] = 0, ["rolled_back"] = 1, ["refused"] = 0, ["failed"] = 0 }), "/metrics counts the reload by its result");
        var (_, table) = await supervisor.CommandAsync("status");
        Assert.That(table, Does.Contain("last reload (supervisor reload): ROLLED BACK"));
        await supervisor.Process.WaitForLineAsync("Parked -> Ready: the reload to generation 2 is rolled back; back in rotation", SupervisorHarness.Patience);
    }

    [Test]
    public async Task A_reload_to_good_workers_is_committed_after_the_window_and_the_old_processes_then_stop()
    {
        var supervisor = Start(Config("v1", "3s"));
        var old = (await supervisor.WaitForAllWorkersAsync(2)).Values.ToList();
        var load = LoadGenerator.Get(supervisor.Url, concurrency: 2);
        await load.WaitForAnswersAsync(20, what: "before the reload");

        supervisor.RewriteConfig(Config("v2", "3s"));
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await supervisor.CommandAsync("reload");
        var took = clock.Elapsed;
        Assert.That(await Eventually.TrueAsync(() => old.All(pid => !Posix.IsAlive(pid)), SupervisorHarness.Patience), Is.True, "the parked workers were not stopped after the commit");
        var answers = await load.StopAsync();

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("confirmed after 3s without a failure; generation 2 committed"));
        Assert.That(took, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)), "the reload answered before the window had passed");
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty);
        var status = await supervisor.StatusWhenAsync(s => !SupervisorHarness.PidsListedIn(s).Intersect(old).Any(), "no old worker");
        Assert.That((string?)status["supervisor"]!["lastReload"]!["result"], Is.EqualTo("committed"));
        Assert.That((await supervisor.ScrapeAsync()).Value("cluster_supervisor_reloads_total", ("result", "committed")), Is.EqualTo(1));
        Assert.That(SupervisorHarness.PidsListedIn(status), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Supervisor_rollback_after_a_committed_reload_brings_back_the_previous_config_with_no_failed_request()
    {
        var supervisor = Start(Config("v1", "2s"));
        await supervisor.WaitForAllWorkersAsync(2);
        supervisor.RewriteConfig(Config("v2", "2s"));
        var (reloaded, reloadOutput) = await supervisor.CommandAsync("reload");
        Assert.That(reloaded, Is.EqualTo(0), reloadOutput);
        Assert.That(await EchoAsync(supervisor), Is.EqualTo("v2"));

        var load = LoadGenerator.Get(supervisor.Url, concurrency: 2);
        await load.WaitForAnswersAsync(20, what: "before the rollback");
        var (exitCode, output) = await supervisor.CommandAsync("rollback");
        var answers = await load.StopAsync();

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(await EchoAsync(supervisor), Is.EqualTo("v1"), "the previous config, from memory: the file on disk still says v2");
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty);
        await supervisor.Process.WaitForLineAsync(@"rolling back to generation 1's config \(kept in memory\) from generation 2", SupervisorHarness.Patience);
    }

    [Test]
    public async Task With_a_shared_socket_a_rolled_back_reload_wakes_the_parked_old_workers_and_they_serve_again()
    {
        var supervisor = Start(Config("v1", "60s", frontEnd: "sharedSocket"));
        await supervisor.WaitForReadyAsync(2);
        var old = supervisor.WorkerPids();

        supervisor.RewriteConfig(Config("v2", "60s", new JsonObject { ["TEST_ONLY_ID"] = "1", ["TEST_CRASH_AFTER_READY_MS"] = "2000" }, "sharedSocket"));
        var (exitCode, output) = await supervisor.CommandAsync("reload");

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("reload rolled back").And.Contain("the old workers serve again: 0 (pid "));
        await supervisor.Process.WaitForLineAsync("SIGSTOP: it accepts nothing from the shared socket meanwhile", SupervisorHarness.Patience);
        // The new worker that did not crash is drained and stopped; until it exits it may still accept from the socket.
        var rolledBack = supervisor.WorkerPids().Except(old).ToList();
        Assert.That(await Eventually.TrueAsync(() => !rolledBack.Any(Posix.IsAlive), SupervisorHarness.Patience), Is.True, "the rolled-back workers did not stop");
        var pids = new HashSet<int>();
        for (var i = 0; i < 40; i++)
        {
            using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = SupervisorHarness.Patience };
            pids.Add((int)JsonNode.Parse(await client.GetStringAsync(supervisor.Url + "/"))!["pid"]!);
        }

        Assert.That(pids, Is.SubsetOf(old), "the old processes, running again, serve every new connection");
        Assert.That(old.Select(pid => ProcFs.State(pid)), Is.All.Not.EqualTo('T'), "no old worker is left stopped");
    }

    private static async Task<string?> EchoAsync(SupervisorHarness supervisor) =>
        (string?)JsonNode.Parse(await supervisor.Http.GetStringAsync("/"))!["echo"];
}
