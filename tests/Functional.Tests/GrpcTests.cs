using System.Net;
using System.Text.Json.Nodes;
using Cluster.GrpcTestWorker;
using Cluster.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cluster.Functional.Tests;

/// <summary>
/// gRPC workers ("worker": { "protocol": "http2" }): calls through the front end over h2c and over TLS, trailers and
/// server streaming end to end, readiness and health checks over HTTP/2, and a worker killed under gRPC load replaced.
/// </summary>
public sealed class GrpcTests : FunctionalTest
{
    private static JsonObject GrpcConfig(int workers, int h2cPort)
    {
        var config = new JsonObject
        {
            ["workers"] = workers,
            ["listen"] = new JsonArray(new JsonObject { ["url"] = $"http://127.0.0.1:{h2cPort}", ["http2"] = true }),
            ["worker"] = new JsonObject
            {
                ["command"] = "dotnet",
                ["args"] = new JsonArray(RepositoryPaths.GrpcTestWorkerDll),
                ["protocol"] = "http2",
                ["readiness"] = new JsonObject { ["path"] = "/healthz" },
            },
            ["health"] = new JsonObject { ["path"] = "/healthz", ["interval"] = "500ms" },
        };
        return config;
    }

    [Test]
    public async Task Unary_and_server_streaming_calls_pass_through_with_their_trailers_over_h2c_and_tls()
    {
        var h2cPort = FreePort.Next();
        using var site = new TlsSite();
        site.Certificates.Renew("localhost");
        var config = GrpcConfig(workers: 2, h2cPort);
        config["listen"]!.AsArray().Add($"https://127.0.0.1:{site.HttpsPort}");
        config["tls"] = new JsonObject { ["certificate"] = site.Certificates.CertificatePath("localhost"), ["key"] = site.Certificates.KeyPath("localhost") };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(2);
        // Each worker has answered its readiness check and two health checks (it speaks nothing but HTTP/2).
        foreach (var id in new[] { 0, 1 })
        {
            await supervisor.Process.WaitForLineAsync($@"worker {id} \[pid \d+\] out\| grpc test worker {id}: GET /healthz over HTTP/2", SupervisorHarness.Patience, skip: 2);
        }

        using var h2c = GrpcChannel.ForAddress($"http://127.0.0.1:{h2cPort}");
        using var tls = GrpcChannel.ForAddress($"https://localhost:{site.HttpsPort}", new GrpcChannelOptions { HttpClient = site.Client() });
        foreach (var channel in new[] { h2c, tls })
        {
            var client = new Echo.EchoClient(channel);
            using var hello = client.HelloAsync(new HelloRequest { Name = "cluster" }, deadline: DateTime.UtcNow.Add(SupervisorHarness.Patience));
            var reply = await hello.ResponseAsync;
            Assert.That(reply.Message, Is.EqualTo("hello cluster"), channel.Target);
            Assert.That(hello.GetTrailers().GetValue("worker-pid"), Is.EqualTo(reply.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the worker's trailer reached the client");
            Assert.That(hello.GetStatus().StatusCode, Is.EqualTo(StatusCode.OK));

            using var count = client.Count(new CountRequest { Count = 5, DelayMs = 50 }, deadline: DateTime.UtcNow.Add(SupervisorHarness.Patience));
            var numbers = new List<int>();
            await foreach (var item in count.ResponseStream.ReadAllAsync())
            {
                numbers.Add(item.Number);
            }

            Assert.That(numbers, Is.EqualTo(new[] { 1, 2, 3, 4, 5 }), "every streamed message, in order");
            Assert.That(count.GetTrailers().GetValue("counted"), Is.EqualTo("5"));
        }

        Assert.That(supervisor.Process.Output, Does.Contain("Starting -> Ready: GET /healthz passed"));
        Assert.That(supervisor.Process.Output, Does.Not.Contain("health check failed"), "the health checks speak HTTP/2 to the worker");
        Assert.That(supervisor.Process.Output, Does.Not.Contain("proxy error"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_worker_killed_under_gRPC_load_is_replaced_and_calls_after_it_succeed()
    {
        var h2cPort = FreePort.Next();
        var supervisor = Start(GrpcConfig(workers: 2, h2cPort));
        await supervisor.WaitForReadyAsync(2);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{h2cPort}");
        var client = new Echo.EchoClient(channel);
        var load = LoadGenerator.Start(concurrency: 4, async _ =>
        {
            var started = DateTime.UtcNow;
            try
            {
                var reply = await client.HelloAsync(new HelloRequest { Name = "load" }, deadline: DateTime.UtcNow.Add(SupervisorHarness.Patience));
                return new LoadAnswer(started, 200, -1, reply.Pid, null);
            }
            catch (RpcException e)
            {
                return new LoadAnswer(started, 0, -1, 0, $"gRPC {e.StatusCode}");
            }
        });

        await load.WaitForAnswersAsync(50, a => !a.Failed, "before the kill");
        var victim = load.Snapshot().First(a => !a.Failed).Pid;
        var victimId = supervisor.PidsOf(0).Contains(victim) ? 0 : 1;
        Posix.Signal(victim, Posix.SIGKILL);
        await supervisor.Process.WaitForLineAsync($@"worker {victimId} \[pid \d+\] Starting -> Ready", SupervisorHarness.Patience, skip: 1);
        var replacement = supervisor.PidsOf(victimId)[^1];
        var replaced = DateTime.UtcNow;

        await load.WaitForAnswersAsync(1, a => a.Pid == replacement, "from the replacement");
        await load.WaitForAnswersAsync(100, a => a.Started > replaced, "after the replacement");
        var answers = await load.StopAsync();

        var after = answers.Where(a => a.Started > replaced).ToList();
        Assert.That(replacement, Is.Not.EqualTo(victim));
        Assert.That(after.Where(a => a.Failed).Select(a => a.Error), Is.Empty, "a call failed after the replacement was ready");
        Assert.That(after.Select(a => a.Pid).Distinct(), Does.Not.Contain(victim));
        TestContext.Progress.WriteLine($"{answers.Count} calls, {answers.Count(a => a.Failed)} failed around the kill ({string.Join(", ", answers.Where(a => a.Failed).Select(a => a.Error).Distinct())})");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }
}
