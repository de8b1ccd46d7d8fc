using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>One immutable snapshot of YARP's routes and clusters; its change token fires when a newer one replaces it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "YARP may still register on a replaced snapshot's token; the source is left to the GC.")]
internal sealed class WorkerProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
{
    private readonly CancellationTokenSource _replaced = new();

    public IReadOnlyList<RouteConfig> Routes { get; } = routes;

    public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

    public IChangeToken ChangeToken => new CancellationChangeToken(_replaced.Token);

    internal void MarkReplaced() => _replaced.Cancel();
}
