using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// "frontEnd": "sharedSocket": the supervisor binds the public port once and every worker accepts from that socket
/// itself (fd 3, socket activation). Readiness, restarts and reloads still go through the supervisor.
/// </summary>
public sealed class SharedSocketTests : FunctionalTest
{
    private static readonly string Workers = RepositoryPaths.InRepository("tests/Functional.Tests/Workers");

    [Test]
    public async Task Two_sample_workers_both_accept_and_a_killed_one_is_replaced_on_the_same_socket_with_no_failed_connection()
    {
        var supervisor = Start(SharedSocket(new JsonObject
        {
            ["workers"] = 2,
            ["worker"] = new JsonObject
            {
                ["command"] = "dotnet",
                ["args"] = new JsonArray(RepositoryPaths.SampleWorkerDll),
                ["env"] = new JsonObject { ["USERS_DB"] = "users.db" },
                // The sample worker still listens on its own PORT, so the usual HTTP readiness check reaches it.
                ["readiness"] = new JsonObject { ["path"] = "/healthz" },
            },
        }));
        await supervisor.WaitForReadyAsync(2);
        var first = supervisor.WorkerPids();

        // The kernel gives each new connection to whichever worker accepts first; on an idle machine one worker often
        // takes a whole burst (the split is reported, not asserted). That each accepts from the shared socket is
        // shown by stopping the other one (SIGSTOP: a stopped process takes nothing from the queue) for 25 of 50.
        var natural = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SampleWorkerPidAsync(supervisor.Url)));
        TestContext.Out.WriteLine($"50 concurrent new connections, by worker pid: {string.Join(", ", natural.GroupBy(p => p).Select(g => $"{g.Key}: {g.Count()}"))}");
        foreach (var (alone, stopped) in new[] { (first[0], first[1]), (first[1], first[0]) })
        {
            Assert.That(await ServedWhileStoppedAsync(supervisor, stopped, 25), Is.All.EqualTo(alone), $"pid {alone} accepts from the shared socket while pid {stopped} is stopped");
        }

        var load = LoadGenerator.Get(supervisor.Url, concurrency: 2, newConnectionsOnly: true, read: WorkerAnswer.FromGreeting);
        await load.WaitForAnswersAsync(10, what: "before the kill");
        var victim = supervisor.PidsOf(0)[0];
        Posix.Signal(victim, Posix.SIGKILL);
        Assert.That(await Eventually.TrueAsync(() => !Posix.IsAlive(victim), SupervisorHarness.Patience, TimeSpan.FromMilliseconds(5)), Is.True);
        var killedAt = DateTime.UtcNow;
        await supervisor.Process.WaitForLineAsync($@"\[pid {victim}\] Ready -> Exited: killed by SIGKILL", SupervisorHarness.Patience);
        await supervisor.WaitForReadyAsync(3);
        var replacement = supervisor.PidsOf(0)[^1];
        var replacedAt = DateTime.UtcNow;
        await load.WaitForAnswersAsync(20, a => a.Started > replacedAt, "after the replacement was ready");
        var answers = await load.StopAsync();

        // What the killed worker had accepted died with it (no proxy to retry: documented); every connection made
        // after it was gone must be served, while its slot restarts and after.
        var afterKill = answers.Where(a => a.Started > killedAt).ToList();
        Assert.That(afterKill.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a new connection failed while the worker was restarted");
        Assert.That(afterKill.Select(a => a.Pid), Has.None.EqualTo(victim));
        var survivor = supervisor.PidsOf(1)[0];
        Assert.That(ProcFs.SocketAt(replacement, 3), Is.Not.Null.And.EqualTo(ProcFs.SocketAt(survivor, 3)), "the replacement got the same listening socket as fd 3");
        // Which worker the kernel hands a connection to is its choice: that the replacement accepts is shown as above.
        Assert.That(await ServedWhileStoppedAsync(supervisor, survivor, 10), Is.All.EqualTo(replacement), "the replacement accepts from the shared socket");

        // Stopping closes the listening socket: afterwards the port refuses connections.
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(supervisor.Process.Output, Does.Match(@"(?s)closed the supervisor's listening socket.*Ready -> Stopping: the supervisor is stopping"));
        Assert.That(() => new System.Net.Sockets.TcpClient().Connect(IPAddress.Loopback, supervisor.Port), Throws.InstanceOf<System.Net.Sockets.SocketException>());
    }

    [Test]
    public async Task A_reload_under_load_replaces_every_worker_with_no_failed_request_and_no_refused_connection()
    {
        var supervisor = Start(SharedSocket(SupervisorHarness.TestWorkerConfig(2, new JsonObject
        {
            ["readiness"] = new JsonObject { ["notify"] = true },
        })));
        await supervisor.WaitForReadyAsync(2);
        var old = supervisor.WorkerPids();
        // Each worker's notify socket is 0600 from its bind (no chmod after it).
        var notifySockets = Directory.GetFiles(supervisor.Folder, "notify-*.sock");
        Assert.That(notifySockets, Has.Length.EqualTo(2));
        Assert.That(notifySockets.Select(File.GetUnixFileMode), Has.All.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        // Half the requests on kept-alive connections, half on new ones; two clients at once.
        var load = LoadGenerator.Get(supervisor.Url, concurrency: 2);
        await load.WaitForAnswersAsync(20, what: "before the reload");
        var (exitCode, output) = await supervisor.CommandAsync("reload");
        Assert.That(exitCode, Is.EqualTo(0), output);
        var replaced = supervisor.WorkerPids().Except(old).ToList();
        Assert.That(replaced, Has.Count.EqualTo(2), output);
        Assert.That(await Eventually.TrueAsync(() => old.All(pid => !Posix.IsAlive(pid)), SupervisorHarness.Patience), Is.True, "the old workers did not stop");
        // Served afterwards only by the new generation (kept-alive connections to the old ones closed as they stopped).
        var reloadedAt = DateTime.UtcNow;
        await load.WaitForAnswersAsync(20, a => a.Started > reloadedAt, "after the old workers were gone");
        var answers = await load.StopAsync();

        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a request failed or a connection was refused during the reload");
        Assert.That(answers.Where(a => a.Started > reloadedAt).Select(a => a.Pid).Distinct(), Is.SubsetOf(replaced));
    }

    [Test]
    public async Task Gunicorn_is_ready_on_its_READY_1_serves_through_the_shared_socket_and_is_restarted_after_kill_9()
    {
        RequireProgram("/usr/bin/gunicorn", "Debian's gunicorn package (.ci/run installs it)");
        var supervisor = Start(SharedSocket(new JsonObject
        {
            ["workers"] = 2,
            ["worker"] = new JsonObject
            {
                // Debian's gunicorn reads LISTEN_FDS itself and sends READY=1 to NOTIFY_SOCKET once its arbiter is up.
                ["command"] = "/usr/bin/gunicorn",
                ["args"] = new JsonArray("--workers", "1", "--chdir", Workers, "wsgi_app:app"),
                ["readiness"] = new JsonObject { ["notify"] = true, ["timeout"] = "20s" },
            },
        }));
        await supervisor.Process.WaitForLineAsync(@"worker 1 \[pid \d+\] Starting -> Ready: READY=1 on its notify socket passed", SupervisorHarness.Patience);
        await supervisor.WaitForReadyAsync(2);

        var runtimes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => JsonAsync(supervisor.Url)));
        Assert.That(runtimes.Select(r => (string?)r["runtime"]), Is.All.EqualTo("gunicorn"));

        var arbiter = supervisor.PidsOf(1)[0];
        Posix.Signal(arbiter, Posix.SIGKILL);
        await supervisor.Process.WaitForLineAsync($@"\[pid {arbiter}\] Ready -> Exited: killed by SIGKILL", SupervisorHarness.Patience);
        await supervisor.WaitForReadyAsync(3);
        Assert.That(supervisor.PidsOf(1), Has.Count.EqualTo(2));
        Assert.That((string?)(await JsonAsync(supervisor.Url))["runtime"], Is.EqualTo("gunicorn"));

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        // gunicorn's own worker processes are children of its arbiter; none may outlive the stop (the teardown checks every marked process too).
        Assert.That(await Eventually.TrueAsync(() => ProcFs.ProcessesWithEnvironment(TestProcess.MarkerVariable, supervisor.Process.Marker).Count == 0, SupervisorHarness.Patience), Is.True);
    }

    [Test]
    public async Task Uvicorn_accepts_on_fd_3_and_is_ready_once_it_accepts()
    {
        RequireProgram("/usr/bin/python3", "Debian's python3");
        var probe = System.Diagnostics.Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import uvicorn"]) { RedirectStandardError = true })!;
        await probe.WaitForExitAsync();
        if (probe.ExitCode != 0)
        {
            Assert.Ignore("Debian's python3-uvicorn is not installed (.ci/run installs it)");
        }

        var supervisor = Start(SharedSocket(new JsonObject
        {
            ["workers"] = 2,
            ["worker"] = new JsonObject
            {
                ["command"] = "/usr/bin/python3",
                ["args"] = new JsonArray("-m", "uvicorn", "--fd", "{fd}", "--app-dir", Workers, "asgi_app:app"),
                // uvicorn neither listens on PORT nor speaks sd_notify: ready once it waits on the shared socket.
                ["readiness"] = new JsonObject { ["accepting"] = true, ["timeout"] = "20s" },
            },
        }));
        await supervisor.Process.WaitForLineAsync(@"Starting -> Ready: accepting on the shared socket passed", SupervisorHarness.Patience, skip: 1);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => JsonAsync(supervisor.Url)));
        Assert.That(answers.Select(a => (string?)a["runtime"]), Is.All.EqualTo("uvicorn"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_node_server_on_listen_fd_3_serves_through_the_shared_socket()
    {
        var supervisor = Start(SharedSocket(new JsonObject
        {
            ["workers"] = 2,
            ["worker"] = new JsonObject
            {
                ["command"] = "node",
                ["args"] = new JsonArray(Path.Combine(Workers, "node-worker.js")),
            },
        }));
        await supervisor.WaitForReadyAsync(2);
        await supervisor.Process.WaitForLineAsync(@"node worker 1 accepting on the inherited socket \(fd 3\)", SupervisorHarness.Patience);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => JsonAsync(supervisor.Url)));
        Assert.That(answers.Select(a => (string?)a["runtime"]), Is.All.EqualTo("node"));
        Assert.That(answers.Select(a => (int)a["pid"]!).Distinct(), Is.SubsetOf(supervisor.WorkerPids()));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_worker_that_never_sends_READY_1_hits_the_readiness_timeout_and_backs_off()
    {
        var supervisor = Start(SharedSocket(SupervisorHarness.TestWorkerConfig(
            1,
            new JsonObject { ["readiness"] = new JsonObject { ["notify"] = true, ["timeout"] = "1500ms" } },
            new JsonObject { ["TEST_NO_NOTIFY"] = "1" })));

        await supervisor.Process.WaitForLineAsync(@"worker 0 \[pid \d+\] Starting -> Stopping: not ready within 1\.5s \(READY=1 on its notify socket\); counted as a failed start", SupervisorHarness.Patience);
        await supervisor.Process.WaitForLineAsync(@"worker 0 \[pid \d+\] Exited -> (Backoff|CrashLoop): restarting in", SupervisorHarness.Patience);
        await supervisor.Process.WaitForLineAsync(@"worker 0 \[pid \d+\] (Backoff|CrashLoop) -> Starting", SupervisorHarness.Patience);
        Assert.That(supervisor.Process.Output, Does.Not.Contain("-> Ready"));
    }

    [Test]
    public async Task A_worker_that_stops_its_watchdog_pings_is_restarted()
    {
        var supervisor = Start(SharedSocket(SupervisorHarness.TestWorkerConfig(
            1,
            new JsonObject { ["readiness"] = new JsonObject { ["notify"] = true } },
            new JsonObject { ["TEST_WATCHDOG_MS"] = "400", ["TEST_WATCHDOG_STOP_AFTER_MS"] = "2000", ["TEST_ONLY_ID"] = "0" })));

        await supervisor.Process.WaitForLineAsync(@"worker 0 \[pid \d+\] declared a watchdog: WATCHDOG=1 at least every 400ms", SupervisorHarness.Patience);
        var first = supervisor.PidsOf(0)[0];
        await supervisor.Process.WaitForLineAsync($@"\[pid {first}\] health check failed \(1 in a row\): no WATCHDOG=1 within its WATCHDOG_USEC \(400ms\)", SupervisorHarness.Patience);
        await supervisor.Process.WaitForLineAsync($@"\[pid {first}\] Ready -> Unhealthy: 2 health checks failed in a row", SupervisorHarness.Patience);
        await supervisor.Process.WaitForLineAsync($@"\[pid {first}\] Unhealthy -> Stopping: still unhealthy after 4 failed health checks", SupervisorHarness.Patience);
        await supervisor.Process.WaitForLineAsync(@"worker 0 \[pid \d+\] Backoff -> Starting", SupervisorHarness.Patience);
    }

    [Test]
    public async Task The_listening_socket_is_held_only_by_the_supervisor_once_and_by_each_worker_as_fd_3()
    {
        var metricsPort = FreePort.Next();
        var config = SharedSocket(SupervisorHarness.TestWorkerConfig(2));
        config["metrics"] = new JsonObject { ["listen"] = $"http://127.0.0.1:{metricsPort}" };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(2);
        var killed = supervisor.WorkerPids()[0];
        Posix.Signal(killed, Posix.SIGKILL);
        await supervisor.WaitForReadyAsync(3);
        var workers = supervisor.WorkerPids().Where(Posix.IsAlive).ToList();
        Assert.That(workers, Has.Count.EqualTo(2));

        var inode = ProcFs.SocketAt(workers[0], 3);
        Assert.That(inode, Is.Not.Null);
        var holders = ProcFs.SocketHolders(inode!);
        Assert.That(holders.Keys, Is.EquivalentTo(workers.Append(supervisor.Process.Pid)), "only the supervisor and its workers hold the listening socket");
        Assert.That(holders[supervisor.Process.Pid], Has.Count.EqualTo(1), "the supervisor's duplicates for starting workers were closed");
        Assert.That(ProcFs.IsCloseOnExec(supervisor.Process.Pid, holders[supervisor.Process.Pid][0]), Is.True, "the supervisor's own descriptor is close-on-exec");
        Assert.That(workers.Select(pid => holders[pid]), Is.All.EqualTo(new[] { 3 }), "each worker holds it once, as fd 3");

        // Each worker's client connections show in status: hold 4 open and find them.
        var clients = Enumerable.Range(0, 4).Select(_ => new System.Net.Sockets.TcpClient("127.0.0.1", supervisor.Port)).ToList();
        try
        {
            var counted = 0L;
            await Eventually.TrueAsync(async () => (counted = (await supervisor.StatusAsync())["workers"]!.AsArray().Sum(w => (long?)w!["connections"] ?? 0)) == 4, SupervisorHarness.Patience);
            Assert.That(counted, Is.EqualTo(4));
            var (_, table) = await supervisor.CommandAsync("status");
            Assert.That(table, Does.Contain("CONNECTIONS").And.Contain("(shared socket)"));

            using var metrics = new HttpClient { Timeout = SupervisorHarness.Patience };
            var scrape = PrometheusScrape.Parse(await metrics.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics"));
            Assert.That(scrape.Named("cluster_worker_connections").Sum(s => s.Value), Is.EqualTo(4));
            Assert.That(scrape.Named("cluster_frontend_requests_total"), Is.Empty, "no request passes through the supervisor: no request metrics");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public async Task A_config_mixing_a_shared_socket_with_a_rate_limit_or_https_exits_2_naming_both_and_starts_nothing()
    {
        var folder = TempFolder("sharedsocket");
        var rateLimit = Path.Combine(folder, "supervisor.json");
        await ConfigFiles.WriteAsync(rateLimit, $$"""{ "frontEnd": "sharedSocket", "rateLimit": { "requests": 100 }, "worker": { "command": "dotnet", "args": ["{{RepositoryPaths.TestWorkerDll}}"] } }""");
        // The workers would terminate TLS in this mode: an https:// listener and the supervisor's certificates are refused.
        var https = Path.Combine(folder, "https.json");
        await ConfigFiles.WriteAsync(https, $$"""{ "frontEnd": "sharedSocket", "listen": "https://127.0.0.1:{{FreePort.Next()}}", "tls": { "certificate": "fullchain.pem", "key": "privkey.pem" }, "worker": { "command": "dotnet", "args": ["{{RepositoryPaths.TestWorkerDll}}"] } }""");
        const string Combined = "cannot be combined with \"frontEnd\": \"sharedSocket\" ($.frontEnd)";
        var cases = new (string Path, string[] Messages)[]
        {
            (rateLimit, [$"$.rateLimit: {Combined}"]),
            (https, [$"$.listen: {Combined}", "terminate TLS themselves", $"$.tls: {Combined}", "point the workers at their own certificates"]),
        };

        var runs = cases.SelectMany(c => new[] { "check", "start" }.Select(verb => (c.Messages, Run: Track(SupervisorHarness.StartWith([verb, "--config", c.Path], folder, port: 0))))).ToList();

        foreach (var (messages, run) in runs)
        {
            Assert.That(await run.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
            Assert.That(run.Process.ExitCode, Is.EqualTo(2), run.Process.Output);
            Assert.That(run.Process.Output, Does.Contain(messages[0]));
            foreach (var message in messages.Skip(1))
            {
                Assert.That(run.Process.Output, Does.Contain(message));
            }

            Assert.That(run.WorkerPids(), Is.Empty);
        }

        var valid = Path.Combine(folder, "valid.json");
        await ConfigFiles.WriteAsync(valid, $$"""{ "frontEnd": "sharedSocket", "worker": { "command": "dotnet", "args": ["{{RepositoryPaths.TestWorkerDll}}"], "readiness": { "notify": true } } }""");
        var good = Track(SupervisorHarness.StartWith(["check", "--config", valid], folder, port: 0));
        Assert.That(await good.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(good.Process.ExitCode, Is.EqualTo(0), good.Process.Output);
        Assert.That(good.Process.Output, Does.Contain("from one shared socket (frontEnd sharedSocket), readiness READY=1 on its notify socket"));
    }

    private static JsonObject SharedSocket(JsonObject config)
    {
        config["frontEnd"] = "sharedSocket";
        return config;
    }

    private static void RequireProgram(string path, string what)
    {
        if (!File.Exists(path))
        {
            Assert.Ignore($"{path} is not installed ({what})");
        }
    }

    /// <summary>
    /// Stops <paramref name="stopped"/> (SIGSTOP: a stopped process takes nothing from the accept queue), makes
    /// <paramref name="connections"/> new connections at once, wakes it again; the PIDs that answered.
    /// </summary>
    private static async Task<int[]> ServedWhileStoppedAsync(SupervisorHarness supervisor, int stopped, int connections)
    {
        Posix.Signal(stopped, Posix.SIGSTOP);
        try
        {
            // SIGSTOP lands as each thread next leaves the kernel: one preempted inside accept() (a loaded CI machine)
            // could still take a connection after kill() returned, and hold it while stopped.
            Assert.That(await Eventually.TrueAsync(() => ProcFs.AllThreadsStopped(stopped), SupervisorHarness.Patience, TimeSpan.FromMilliseconds(5)), Is.True, $"pid {stopped} did not stop");
            return await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => SampleWorkerPidAsync(supervisor.Url)));
        }
        finally
        {
            Posix.Signal(stopped, Posix.SIGCONT);
        }
    }

    /// <summary>GET / on a connection of its own; the sample worker's greeting says which process answered.</summary>
    private static async Task<int> SampleWorkerPidAsync(string url)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = SupervisorHarness.Patience };
        return WorkerAnswer.FromGreeting(await client.GetStringAsync(url + "/")).Pid;
    }

    private static async Task<JsonObject> JsonAsync(string url)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = SupervisorHarness.Patience };
        return JsonNode.Parse(await client.GetStringAsync(url + "/"))!.AsObject();
    }
}
