using Cluster.Supervisor.FrontEnd;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.Supervisor.Tests.FrontEnd;

/// <summary>
/// Draining by HTTP requests only: an upgraded connection (WebSocket) leaves the in-flight counts when it is upgraded,
/// so a stop or a worker leaving the rotation waits for requests, not for WebSockets that end only when told to stop.
/// </summary>
public sealed class UpgradedConnectionDrainTests
{
    [Test]
    public void The_gate_closes_once_the_last_request_has_left_and_then_lets_none_in()
    {
        var gate = new RequestGate();
        Assert.That(gate.TryEnter(), Is.True);
        Assert.That(gate.TryEnter(), Is.True);

        var closed = gate.CloseWhenIdleAsync();
        Assert.That(gate.TryEnter(), Is.True, "still open while requests are in flight: a keep-alive request may come in");
        gate.Leave(upgraded: false);
        gate.Leave(upgraded: false);
        Assert.That(closed.IsCompleted, Is.False);
        gate.Leave(upgraded: false);

        Assert.That(closed.IsCompletedSuccessfully, Is.True);
        Assert.That(gate.TryEnter(), Is.False, "after the drain nothing may reach a stopping worker");
        Assert.That(gate.InFlight, Is.EqualTo(0), "a refused request leaves no count behind");
    }

    [Test]
    public void An_upgraded_connection_does_not_hold_the_gate_open_and_is_counted_until_it_ends()
    {
        var gate = new RequestGate();
        Assert.That(gate.TryEnter(), Is.True);
        gate.Upgrade();

        var closed = gate.CloseWhenIdleAsync();

        Assert.That(closed.IsCompletedSuccessfully, Is.True);
        Assert.That(gate.Upgraded, Is.EqualTo(1));
        gate.Leave(upgraded: true);
        Assert.That(gate.Upgraded, Is.EqualTo(0));
    }

    [Test]
    public void Closing_at_the_timeout_refuses_new_requests_while_some_are_still_in_flight()
    {
        var gate = new RequestGate();
        Assert.That(gate.TryEnter(), Is.True);
        var closed = gate.CloseWhenIdleAsync();

        gate.Close();

        Assert.That(closed.IsCompletedSuccessfully, Is.True);
        Assert.That(gate.TryEnter(), Is.False);
        gate.Leave(upgraded: false);
        Assert.That(gate.InFlight, Is.EqualTo(0));
    }

    [Test]
    public void A_worker_whose_only_traffic_is_upgraded_connections_is_idle()
    {
        var traffic = new WorkerTraffic();
        traffic.Begin();
        traffic.Begin();
        var idle = traffic.WhenIdleAsync();

        traffic.Upgrade();
        Assert.That(idle.IsCompleted, Is.False, "one plain request is still in flight");
        traffic.End();

        Assert.That(idle.IsCompletedSuccessfully, Is.True);
        Assert.That((traffic.InFlight, traffic.Upgraded, traffic.Served), Is.EqualTo((0L, 1L, 2L)));
        traffic.EndUpgraded();
        Assert.That(traffic.Upgraded, Is.EqualTo(0));
    }

    [Test]
    public async Task The_watch_stands_in_for_the_servers_upgrade_feature_and_moves_the_request_when_it_is_upgraded()
    {
        var gate = new RequestGate();
        var traffic = new WorkerTraffic();
        var server = new ServerUpgrade();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpUpgradeFeature>(server);
        Assert.That(gate.TryEnter(), Is.True);
        traffic.Begin();

        var watch = UpgradeWatch.For(context, gate)!;
        watch.Traffic = traffic;
        var feature = context.Features.Get<IHttpUpgradeFeature>()!;
        Assert.That(feature, Is.SameAs(watch));
        Assert.That(feature.IsUpgradableRequest, Is.True);
        Assert.That(watch.Upgraded, Is.False);

        var stream = await feature.UpgradeAsync();

        Assert.That(stream, Is.SameAs(server.Stream), "the server's own upgraded stream");
        Assert.That(watch.Upgraded, Is.True);
        Assert.That((traffic.InFlight, traffic.Upgraded), Is.EqualTo((0L, 1L)));
        Assert.That((gate.InFlight, gate.Upgraded), Is.EqualTo((0L, 1L)));
    }

    [Test]
    public async Task A_WebSocket_over_HTTP2_is_watched_through_the_extended_CONNECT_feature()
    {
        var gate = new RequestGate();
        var traffic = new WorkerTraffic();
        var server = new ServerExtendedConnect();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpExtendedConnectFeature>(server);
        Assert.That(gate.TryEnter(), Is.True);
        traffic.Begin();

        var watch = UpgradeWatch.For(context, gate)!;
        watch.Traffic = traffic;
        var feature = context.Features.Get<IHttpExtendedConnectFeature>()!;
        Assert.That((feature.IsExtendedConnect, feature.Protocol), Is.EqualTo((true, "websocket")));

        Assert.That(await feature.AcceptAsync(), Is.SameAs(server.Stream));
        Assert.That(watch.Upgraded, Is.True);
        Assert.That((traffic.InFlight, traffic.Upgraded, gate.Upgraded), Is.EqualTo((0L, 1L, 1L)));
    }

    [Test]
    public void A_request_that_asks_for_no_upgrade_is_left_as_it_is()
    {
        var context = new DefaultHttpContext();
        var server = new ServerUpgrade { IsUpgradableRequest = false };
        context.Features.Set<IHttpUpgradeFeature>(server);

        Assert.That(UpgradeWatch.For(context, new RequestGate()), Is.Null);
        Assert.That(context.Features.Get<IHttpUpgradeFeature>(), Is.SameAs(server));
    }

    private sealed class ServerExtendedConnect : IHttpExtendedConnectFeature
    {
        public Stream Stream { get; } = new MemoryStream();

        public bool IsExtendedConnect => true;

        public string? Protocol => "websocket";

        public ValueTask<Stream> AcceptAsync() => ValueTask.FromResult(Stream);
    }

    private sealed class ServerUpgrade : IHttpUpgradeFeature
    {
        public Stream Stream { get; } = new MemoryStream();

        public bool IsUpgradableRequest { get; init; } = true;

        public Task<Stream> UpgradeAsync() => Task.FromResult(Stream);
    }
}
