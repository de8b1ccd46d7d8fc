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
        using var site = new TlsSite(TempFolder("tls"));
        site.Renew("localhost");
        var config = GrpcConfig(workers: 2, h2cPort);
        config["listen"]!.AsArray().Add($"https://127.0.0.1:{site.HttpsPort}");
        config["tls"] = new JsonObject { ["certificate"] = site.CertificatePath("localhost"), ["key"] = site.KeyPath("localhost") };
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(2);
        // The first health checks, over HTTP/2 like the readiness checks.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        using var h2c = GrpcChannel.ForAddress($"http://127.0.0.1:{h2cPort}");
        using var tls = GrpcChannel.ForAddress($"https://localhost:{site.HttpsPort}", new GrpcChannelOptions { HttpClient = site.Client() });
        foreach (var channel in new[] { h2c, tls })
        {
            var client = new Echo.EchoClient(channel);
            using var hello = client.HelloAsync(new HelloRequest { Name = "cluster" }, deadline: DateTime.UtcNow.AddSeconds(20));
            var reply = await hello.ResponseAsync;
            Assert.That(reply.Message, Is.EqualTo("hello cluster"), channel.Target);
            Assert.That(hello.GetTrailers().GetValue("worker-pid"), Is.EqualTo(reply.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the worker's trailer reached the client");
            Assert.That(hello.GetStatus().StatusCode, Is.EqualTo(StatusCode.OK));

            using var count = client.Count(new CountRequest { Count = 5, DelayMs = 50 }, deadline: DateTime.UtcNow.AddSeconds(20));
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
        var answers = new System.Collections.Concurrent.ConcurrentQueue<(DateTime At, int Pid, StatusCode Status)>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        async Task CallAsync()
        {
            try
            {
                var reply = await client.HelloAsync(new HelloRequest { Name = "load" }, deadline: DateTime.UtcNow.AddSeconds(10));
                answers.Enqueue((DateTime.UtcNow, reply.Pid, StatusCode.OK));
            }
            catch (RpcException e)
            {
                answers.Enqueue((DateTime.UtcNow, 0, e.StatusCode));
            }
        }

        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
            {
                await CallAsync();
            }
        })).ToList();

        Assert.That(await Eventually.TrueAsync(() => answers.Count(a => a.Status == StatusCode.OK) >= 50, SupervisorHarness.Patience), Is.True, "no load");
        var victim = answers.First(a => a.Status == StatusCode.OK).Pid;
        var victimId = supervisor.PidsOf(0).Contains(victim) ? 0 : 1;
        Posix.Signal(victim, Posix.SIGKILL);
        await supervisor.Process.WaitForLineAsync($@"worker {victimId} \[pid \d+\] Starting -> Ready", SupervisorHarness.Patience, skip: 1);
        var replacement = supervisor.PidsOf(victimId)[^1];
        var replaced = DateTime.UtcNow;

        Assert.That(await Eventually.TrueAsync(() => answers.Any(a => a.Pid == replacement), SupervisorHarness.Patience), Is.True, "the replacement got no call");
        Assert.That(await Eventually.TrueAsync(() => answers.Count(a => a.At > replaced) >= 100, SupervisorHarness.Patience), Is.True, "too few calls after the replacement");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var after = answers.Where(a => a.At > replaced).ToList();
        Assert.That(replacement, Is.Not.EqualTo(victim));
        Assert.That(after.Where(a => a.Status != StatusCode.OK).Select(a => a.Status), Is.Empty, "a call failed after the replacement was ready");
        Assert.That(after.Select(a => a.Pid).Distinct(), Does.Not.Contain(victim));
        TestContext.Progress.WriteLine($"{answers.Count} calls, {answers.Count(a => a.Status != StatusCode.OK)} failed around the kill ({string.Join(", ", answers.Where(a => a.Status != StatusCode.OK).Select(a => a.Status).Distinct())})");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }
}
