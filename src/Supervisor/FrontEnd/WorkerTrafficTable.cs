using System.Collections.Concurrent;
using Cluster.Supervisor.Workers;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>Counts, per worker process, the requests the front end sends it. A proxy-pipeline middleware.</summary>
internal sealed class WorkerTrafficTable
{
    /// <summary>Time for a routing change to reach requests already past load balancing before "idle" is believed.</summary>
    private static readonly TimeSpan RoutingGrace = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, WorkerTraffic> _byDestination = new(StringComparer.Ordinal);

    public async Task CountAsync(HttpContext context, Func<Task> next)
    {
        // After load balancing, the one chosen destination is left.
        var traffic = _byDestination.GetOrAdd(context.GetReverseProxyFeature().AvailableDestinations[0].DestinationId, _ => new WorkerTraffic());
        traffic.Begin();
        try
        {
            await next();
        }
        finally
        {
            traffic.End();
        }
    }

    public long Served(WorkerEndpoint worker) => _byDestination.TryGetValue(WorkerProxyConfigProvider.DestinationId(worker), out var traffic) ? traffic.Served : 0;

    public long InFlight(WorkerEndpoint worker) => _byDestination.TryGetValue(WorkerProxyConfigProvider.DestinationId(worker), out var traffic) ? traffic.InFlight : 0;

    public async Task WhenIdleAsync(WorkerEndpoint worker)
    {
        await Task.Delay(RoutingGrace);
        if (_byDestination.TryGetValue(WorkerProxyConfigProvider.DestinationId(worker), out var traffic))
        {
            await traffic.WhenIdleAsync();
        }
    }

    public void Forget(WorkerEndpoint worker) => _byDestination.TryRemove(WorkerProxyConfigProvider.DestinationId(worker), out _);
}
