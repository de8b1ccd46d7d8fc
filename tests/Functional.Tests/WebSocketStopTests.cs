using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Cluster.Functional.Tests;

/// <summary>
/// WebSockets through the front end when their worker goes away: the front end drains HTTP requests only, then the
/// worker is told to stop while its upgraded connections are still relayed, so the app's own close frame (1001, going
/// away, sent by the test worker on SIGTERM) reaches the client, at once rather than after the timeouts.
/// </summary>
public sealed class WebSocketStopTests : FunctionalTest
{
    /// <summary>Long enough that waiting them out (what happened before) cannot pass for the prompt close asked for.</summary>
    private const string LongTimeout = "10m";

    /// <summary>
    /// "At once", as a loaded CI machine can show it: a bound far below <see cref="LongTimeout"/>, not a measure of how
    /// fast a .NET worker handles SIGTERM.
    /// </summary>
    private static readonly TimeSpan Prompt = SupervisorHarness.Patience;

    [Test]
    public async Task On_stop_a_WebSocket_client_gets_its_workers_close_frame_and_the_stop_does_not_wait_for_the_timeouts()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 1, worker: new JsonObject { ["stopTimeout"] = LongTimeout });
        config["shutdownTimeout"] = LongTimeout;
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);
        using var client = await ConnectedAsync(supervisor);

        var stop = supervisor.CommandAsync("stop");
        await supervisor.Process.WaitForLineAsync("stopping; in-flight requests have up to 10m00s to finish", SupervisorHarness.Patience);
        var clock = Stopwatch.StartNew();
        var closed = await CloseFrameAsync(client);
        var closedAfter = clock.Elapsed;
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        var (exitCode, output) = await stop;
        var stoppedAfter = clock.Elapsed;

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(closed, Is.EqualTo((WebSocketCloseStatus.EndpointUnavailable, "worker stopping")), "the worker's own close frame (1001), not a cut connection");
        Assert.That(closedAfter, Is.LessThan(Prompt), "the close frame came only after the front end had waited");
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(stoppedAfter, Is.LessThan(Prompt), supervisor.Process.Output);
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(0), supervisor.Process.Output);
        Assert.That(supervisor.Process.Output, Does.Contain("1 upgraded connection(s) (WebSockets) still relayed, for their workers to close"));
        Assert.That(supervisor.Process.Output, Does.Contain("websocket close sent (1001)"));
    }

    [Test]
    public async Task On_reload_the_old_workers_WebSocket_client_gets_its_close_frame_at_once_and_the_reload_completes()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 1, worker: new JsonObject { ["drainTimeout"] = LongTimeout, ["stopTimeout"] = LongTimeout });
        var supervisor = Start(config);
        var old = (await supervisor.WaitForAllWorkersAsync(1))[0];
        using var client = await ConnectedAsync(supervisor);

        var reload = supervisor.CommandAsync("reload");
        await supervisor.Process.WaitForLineAsync($@"worker 0 \[pid {old}\] Ready -> Draining", SupervisorHarness.Patience);
        var clock = Stopwatch.StartNew();
        var closed = await CloseFrameAsync(client);
        var closedAfter = clock.Elapsed;
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        var (exitCode, output) = await reload;

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Match(@"reloaded 1 worker\(s\): 0 \(pid \d+\)"));
        Assert.That(closed, Is.EqualTo((WebSocketCloseStatus.EndpointUnavailable, "worker stopping")), "the old worker's own close frame (1001)");
        Assert.That(closedAfter, Is.LessThan(Prompt), "the close frame came only after worker.drainTimeout");
        Assert.That(supervisor.Process.Output, Does.Contain($"worker 0 [pid {old}] Draining -> Stopping: drained: no request in flight"));
        using var fresh = await ConnectedAsync(supervisor);
        Assert.That(fresh.State, Is.EqualTo(WebSocketState.Open), "the new worker takes WebSockets");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    /// <summary>A WebSocket through the front end, proven open end to end by one echo.</summary>
    private static async Task<ClientWebSocket> ConnectedAsync(SupervisorHarness supervisor)
    {
        var client = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(SupervisorHarness.Patience);
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{supervisor.Port}/ws"), timeout.Token);
        await client.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[64];
        var echo = await client.ReceiveAsync(buffer, timeout.Token);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, echo.Count), Is.EqualTo("ping"));
        return client;
    }

    /// <summary>Waits (bounded) for the server's close frame; its status and description.</summary>
    private static async Task<(WebSocketCloseStatus?, string?)> CloseFrameAsync(ClientWebSocket client)
    {
        using var timeout = new CancellationTokenSource(SupervisorHarness.Patience * 3);
        var buffer = new byte[64];
        try
        {
            var received = await client.ReceiveAsync(buffer, timeout.Token);
            Assert.That(received.MessageType, Is.EqualTo(WebSocketMessageType.Close), "a message instead of the close frame");
        }
        catch (WebSocketException e)
        {
            Assert.Fail($"the connection was cut without a close frame: {e.Message}");
        }

        return (client.CloseStatus, client.CloseStatusDescription);
    }
}
