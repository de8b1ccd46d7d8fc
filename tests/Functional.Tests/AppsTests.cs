using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// Three apps of three programs in one supervisor (a Node server, a Python one, the .NET test worker), routed by host
/// and path: each reaches its own app, and nothing done to one app touches another's workers or its traffic.
/// </summary>
public sealed class AppsTests : FunctionalTest
{
    private static readonly TimeSpan Patience = SupervisorHarness.Patience;

    private static JsonObject NodeApp(string host) => new()
    {
        ["hosts"] = new JsonArray(host),
        ["workers"] = 2,
        ["worker"] = new JsonObject { ["command"] = "node", ["args"] = new JsonArray(RepositoryPaths.InRepository("tests/Functional.Tests/Workers/node-worker.js")) },
    };

    private static JsonObject PythonApp(string host, int exitAtBoot = 0) => new()
    {
        ["hosts"] = new JsonArray(host),
        ["workers"] = 2,
        ["worker"] = new JsonObject
        {
            ["command"] = "python3",
            ["args"] = new JsonArray(RepositoryPaths.InRepository("tests/Functional.Tests/Workers/app_worker.py")),
            ["env"] = exitAtBoot == 0 ? new JsonObject() : new JsonObject { ["EXIT_AT_BOOT"] = exitAtBoot.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        // A crash-looping reload fails at its first new worker; the slots keep their old workers.
        ["reload"] = new JsonObject { ["confirmAfter"] = "0s" },
        ["restart"] = new JsonObject { ["delay"] = "100ms" },
    };

    private static JsonObject DotnetApp(string path) => new()
    {
        ["paths"] = new JsonArray(path),
        ["stripPath"] = true,
        ["workers"] = 1,
        ["worker"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray(RepositoryPaths.TestWorkerDll), ["readiness"] = new JsonObject { ["path"] = "/ready" } },
    };

    private static JsonObject Config(bool withC = true, int bExitAtBoot = 0)
    {
        var apps = new JsonObject { ["a"] = NodeApp("a.test"), ["b"] = PythonApp("b.test", bExitAtBoot) };
        if (withC)
        {
            apps["c"] = DotnetApp("/c");
        }

        return new JsonObject { ["apps"] = apps };
    }

    private static HttpClient ClientFor(SupervisorHarness supervisor, string host)
    {
        var client = new HttpClient { BaseAddress = new Uri(supervisor.Url), Timeout = Patience };
        client.DefaultRequestHeaders.Host = host;
        return client;
    }

    /// <summary>The app that answered GET <paramref name="path"/> with Host <paramref name="host"/>; null for anything but a worker's 200.</summary>
    private static async Task<string?> AppAtAsync(SupervisorHarness supervisor, string host, string path)
    {
        using var client = ClientFor(supervisor, host);
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK ? (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["app"] : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>The PIDs of the app's ready workers by `status --json`; none while the supervisor does not answer yet.</summary>
    private static async Task<IReadOnlyList<int>> PidsOfAsync(SupervisorHarness supervisor, string app)
    {
        var (exitCode, output) = await supervisor.CommandAsync("status", "--json");
        return exitCode != 0 ? [] :
        [
            .. JsonNode.Parse(output)!["workers"]!.AsArray()
                .Where(w => (string?)w!["app"] == app && (string?)w["state"] == "ready" && w["pid"] is not null)
                .Select(w => (int)w!["pid"]!)
                .Order(),
        ];
    }

    private static async Task<IReadOnlyList<int>> WaitForReadyPidsAsync(SupervisorHarness supervisor, string app, int count, Func<IReadOnlyList<int>, bool>? also = null)
    {
        IReadOnlyList<int> pids = [];
        var ready = await Eventually.TrueAsync(async () => (pids = await PidsOfAsync(supervisor, app)).Count == count && (also?.Invoke(pids) ?? true), Patience, TimeSpan.FromMilliseconds(200));
        Assert.That(ready, Is.True, $"app {app}: {pids.Count} of {count} workers ready within {Patience}:\n{supervisor.Process.Output}");
        return pids;
    }

    [Test]
    public async Task Each_app_gets_its_own_requests_and_what_happens_to_one_never_touches_another()
    {
        var supervisor = Start(Config());
        await supervisor.WaitForReadyAsync(5);
        var a = await WaitForReadyPidsAsync(supervisor, "a", 2);
        var b = await WaitForReadyPidsAsync(supervisor, "b", 2);
        await WaitForReadyPidsAsync(supervisor, "c", 1);

        // Each host and path reaches its own app (the worker answers with its APP_NAME); no match is the front end's 404.
        Assert.That(await AppAtAsync(supervisor, "a.test", "/"), Is.EqualTo("a"));
        Assert.That(await AppAtAsync(supervisor, "B.TEST:8080", "/anything"), Is.EqualTo("b"));
        Assert.That(await AppAtAsync(supervisor, "whatever.test", "/c"), Is.EqualTo("c"), "/c with stripPath reaches the test worker's /");
        using (var client = ClientFor(supervisor, "whatever.test"))
        {
            var headers = await client.GetFromJsonAsync<JsonObject>("/c/headers");
            Assert.That((string?)headers!["X-Forwarded-Prefix"], Is.EqualTo("/c"), "stripPath says what it took off");
        }

        using (var client = ClientFor(supervisor, "nobody.test"))
        using (var response = await client.GetAsync("/"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), "the front end's own problem body");
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("no_app"));
        }

        // Continuous GETs to app a while app b is killed, reloaded to a program that crash-loops, and scaled.
        using var toA = ClientFor(supervisor, "a.test");
        var load = LoadGenerator.Start(concurrency: 2, async _ =>
        {
            var started = DateTime.UtcNow;
            using var response = await toA.GetAsync("/");
            var body = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            return new LoadAnswer(started, (int)response.StatusCode, (int?)body?["id"] ?? -1, (int?)body?["pid"] ?? 0, (string?)body?["app"] == "a" ? null : $"answered by app {(string?)body?["app"]}");
        });
        await load.WaitForAnswersAsync(10, what: "from app a before anything happens to b");

        foreach (var pid in b)
        {
            Posix.Signal(pid, Posix.SIGKILL);
        }

        b = await WaitForReadyPidsAsync(supervisor, "b", 2, pids => !pids.Intersect(b).Any());

        supervisor.RewriteConfig(Config(bExitAtBoot: 3));
        var (reloadExit, reloadOutput) = await supervisor.CommandAsync("reload", "b");
        Assert.That(reloadExit, Is.EqualTo(1), reloadOutput);
        Assert.That(reloadOutput, Does.Contain("exited with code 3"));
        Assert.That(await PidsOfAsync(supervisor, "b"), Is.EqualTo(b), "b's old workers keep serving");

        supervisor.RewriteConfig(Config());
        var (fixedExit, fixedOutput) = await supervisor.CommandAsync("reload", "b");
        Assert.That(fixedExit, Is.EqualTo(0), fixedOutput);
        var (scaleExit, scaleOutput) = await supervisor.CommandAsync("scale", "b", "3");
        Assert.That(scaleExit, Is.EqualTo(0), scaleOutput);
        await WaitForReadyPidsAsync(supervisor, "b", 3);
        var (unknownExit, unknownOutput) = await supervisor.CommandAsync("scale", "nope", "3");
        Assert.That(unknownExit, Is.EqualTo(2), unknownOutput);
        Assert.That(unknownOutput, Does.Contain("there is no app nope; the apps are a, b, c"));

        await load.WaitForAnswersAsync(load.Snapshot().Count + 10, what: "from app a after b's troubles");
        var answers = await load.StopAsync();
        Assert.That(answers.Where(r => r.Failed).Select(r => $"{r.Status} {r.Error}"), Is.Empty, "a request to app a failed");
        Assert.That(answers.Select(r => r.Pid).Distinct(), Is.SubsetOf(a), "app a was served by its own first workers only");
        Assert.That(await PidsOfAsync(supervisor, "a"), Is.EqualTo(a), "app a's workers were never restarted");

        var status = await supervisor.StatusAsync();
        Assert.That(status["apps"]!.AsArray().Select(x => ((string?)x!["name"], (int)x["workersWanted"]!)), Is.EqualTo(new[] { ("a", 2), ("b", 3), ("c", 1) }));
        var (textExit, text) = await supervisor.CommandAsync("status");
        Assert.That(textExit, Is.EqualTo(0), text);
        Assert.That(text, Does.Contain("app b: hosts b.test; 3/3 ready"));
        var metrics = await supervisor.ScrapeAsync();
        Assert.That(metrics.Value("cluster_app_workers", ("app", "b"), ("state", "ready")), Is.EqualTo(3));
        Assert.That(metrics.Value("cluster_app_requests_total", ("app", "a"), ("code", "2xx")), Is.GreaterThanOrEqualTo(answers.Count), "every answer to a counted for a");
        Assert.That(metrics.Value("cluster_worker_state", ("app", "a"), ("worker", "1"), ("state", "ready")), Is.EqualTo(1));

        var (logsExit, logs) = await supervisor.CommandAsync("logs", "--app", "b", "--lines", "1000");
        Assert.That(logsExit, Is.EqualTo(0), logs);
        Assert.That(logs, Does.Contain("exiting at boot with code 3"), "b's workers' output");
        Assert.That(logs, Does.Not.Contain("node worker"), "a's workers' output is not b's");

        // SIGHUP without app c: out of the routes, its worker drained and stopped; with it again: it serves. a untouched.
        var c = await PidsOfAsync(supervisor, "c");
        supervisor.RewriteConfig(Config(withC: false));
        supervisor.Process.Signal(Posix.SIGHUP);
        await supervisor.Process.WaitForLineAsync("app c removed: its last worker has exited", Patience);
        Assert.That(c.Where(Posix.IsAlive), Is.Empty);
        Assert.That(await AppAtAsync(supervisor, "whatever.test", "/c"), Is.Null);

        supervisor.RewriteConfig(Config());
        supervisor.Process.Signal(Posix.SIGHUP);
        await WaitForReadyPidsAsync(supervisor, "c", 1);
        Assert.That(await Eventually.TrueAsync(async () => await AppAtAsync(supervisor, "whatever.test", "/c") == "c", Patience), Is.True, supervisor.Process.Output);
        Assert.That(await PidsOfAsync(supervisor, "a"), Is.EqualTo(a), "app a's workers were never restarted");

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task An_app_on_its_own_listener_is_served_there_alone_and_one_on_its_own_shared_socket_by_its_workers()
    {
        var adminPort = FreePort.Next();
        var rawPort = FreePort.Next();
        var admin = PythonApp("unused.test");
        admin.Remove("hosts");
        admin["listen"] = $"http://127.0.0.1:{adminPort}";
        var raw = NodeApp("unused.test");
        raw.Remove("hosts");
        raw["listen"] = $"http://127.0.0.1:{rawPort}";
        raw["frontEnd"] = "sharedSocket";
        var config = new JsonObject { ["apps"] = new JsonObject { ["web"] = DotnetApp("/web"), ["admin"] = admin, ["raw"] = raw } };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(5);
        await supervisor.Process.WaitForLineAsync(@"node worker 1 accepting on the inherited socket \(fd 3\)", Patience);

        using var client = new HttpClient { Timeout = Patience };
        var atAdmin = await client.GetFromJsonAsync<JsonObject>($"http://127.0.0.1:{adminPort}/web");
        var atRaw = await client.GetFromJsonAsync<JsonObject>($"http://127.0.0.1:{rawPort}/");
        Assert.That(((string?)atAdmin!["app"], (string?)atAdmin["path"]), Is.EqualTo(("admin", "/web")), "its own listener takes no part in routing");
        Assert.That(((string?)atRaw!["app"], (string?)atRaw["runtime"]), Is.EqualTo(("raw", "node")));
        Assert.That(await AppAtAsync(supervisor, "any.test", "/web"), Is.EqualTo("web"));
        Assert.That(await AppAtAsync(supervisor, "any.test", "/"), Is.Null, "the apps of their own listeners are not routed to from the main one");

        var status = await supervisor.StatusAsync();
        Assert.That(
            status["apps"]!.AsArray().Select(a => ((string?)a!["name"], (string?)a["frontEndMode"], (string?)a["listen"])),
            Is.EqualTo(new[] { ("web", "proxy", (string?)null), ("admin", "proxy", $"http://127.0.0.1:{adminPort}"), ("raw", "sharedSocket", $"http://127.0.0.1:{rawPort}") }));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }
}
