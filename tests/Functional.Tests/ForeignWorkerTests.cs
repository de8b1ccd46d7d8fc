using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>Workers that are not .NET and know nothing of the supervisor but PORT / {port}.</summary>
public sealed class ForeignWorkerTests : FunctionalTest
{
    [Test]
    public async Task Python_http_server_is_supervised_restarted_and_stopped()
    {
        var config = new JsonObject
        {
            ["workers"] = 2,
            ["worker"] = new JsonObject
            {
                ["command"] = "python3",
                ["args"] = new JsonArray("-m", "http.server", "{port}", "--bind", "127.0.0.1"),
            },
        };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(2);

        using (var response = await supervisor.Http.GetAsync("/"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.Server.ToString(), Does.Contain("Python"));
        }

        var victim = supervisor.WorkerPids()[0];
        Posix.Signal(victim, Posix.SIGKILL);
        await supervisor.Process.WaitForLineAsync($@"\[pid {victim}\] Ready -> Exited: killed by SIGKILL", SupervisorHarness.Patience);
        await supervisor.WaitForReadyAsync(3);
        Assert.That(supervisor.WorkerPids(), Has.Count.EqualTo(3));
        Assert.That((await supervisor.Http.GetAsync("/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(supervisor.WorkerPids().Where(Posix.IsAlive), Is.Empty);
    }

    [Test]
    public async Task A_node_server_reading_PORT_and_WORKER_ID_is_load_balanced()
    {
        var config = new JsonObject
        {
            ["workers"] = 2,
            ["worker"] = new JsonObject
            {
                ["command"] = "node",
                ["args"] = new JsonArray(RepositoryPaths.InRepository("tests/Functional.Tests/Workers/node-worker.js")),
            },
        };
        var supervisor = Start(config);

        var workers = await supervisor.WaitForAllWorkersAsync(2);

        Assert.That((string?)(await supervisor.Http.GetFromJsonAsync<JsonObject>("/"))!["runtime"], Is.EqualTo("node"));
        Assert.That(workers.Values, Is.EquivalentTo(supervisor.WorkerPids()));
        await supervisor.Process.WaitForLineAsync(@"worker 0 \[pid \d+\] out\| node worker 0 listening on 127\.0\.0\.1:\d+", SupervisorHarness.Patience);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }
}
