using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// Sees the moment a request becomes an upgraded connection: YARP's forwarder upgrades the client's connection
/// (IHttpUpgradeFeature for HTTP/1.1, IHttpExtendedConnectFeature for a WebSocket over HTTP/2) once the worker has
/// answered 101 (or 200 to an extended CONNECT), and this stands in for the server's features to hear of it. From then
/// on the request counts as an upgraded connection, not as a request in flight (<see cref="WorkerTraffic"/>,
/// <see cref="RequestGate"/>). Put in place only for a request that asks for an upgrade, so others pay one feature read.
/// </summary>
internal sealed class UpgradeWatch : IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    private readonly IHttpUpgradeFeature? _upgrade;
    private readonly IHttpExtendedConnectFeature? _connect;
    private readonly RequestGate _gate;

    private UpgradeWatch(IHttpUpgradeFeature? upgrade, IHttpExtendedConnectFeature? connect, RequestGate gate)
    {
        _upgrade = upgrade;
        _connect = connect;
        _gate = gate;
    }

    /// <summary>The traffic of the worker the request is being sent to (another one on a retry).</summary>
    public WorkerTraffic? Traffic { get; set; }

    /// <summary>The queue of the worker's app: the upgrade frees the worker's place for the next request waiting.</summary>
    public Queueing.RequestQueue? Queue { get; set; }

    /// <summary>Whether the connection was upgraded.</summary>
    public bool Upgraded { get; private set; }

    public bool IsUpgradableRequest => _upgrade?.IsUpgradableRequest ?? false;

    public bool IsExtendedConnect => _connect?.IsExtendedConnect ?? false;

    public string? Protocol => _connect?.Protocol;

    /// <summary>Watches the request when it asks for an upgrade; null (and nothing changed) otherwise.</summary>
    public static UpgradeWatch? For(HttpContext context, RequestGate gate)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        if (upgrade?.IsUpgradableRequest != true && connect?.IsExtendedConnect != true)
        {
            return null;
        }

        var watch = new UpgradeWatch(upgrade, connect, gate);
        if (upgrade is not null)
        {
            context.Features.Set<IHttpUpgradeFeature>(watch);
        }

        if (connect is not null)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(watch);
        }

        return watch;
    }

    public async Task<Stream> UpgradeAsync()
    {
        var stream = await (_upgrade ?? throw new InvalidOperationException("not an HTTP/1.1 upgrade")).UpgradeAsync();
        MarkUpgraded();
        return stream;
    }

    public async ValueTask<Stream> AcceptAsync()
    {
        var stream = await (_connect ?? throw new InvalidOperationException("not an extended CONNECT")).AcceptAsync();
        MarkUpgraded();
        return stream;
    }

    private void MarkUpgraded()
    {
        Upgraded = true;
        Traffic?.Upgrade();
        Queue?.Drain();
        _gate.Upgrade();
    }
}
