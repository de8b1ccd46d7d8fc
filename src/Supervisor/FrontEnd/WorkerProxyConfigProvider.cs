using System.Globalization;
using System.Net;
using Cluster.Supervisor.Workers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.LoadBalancing;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// YARP's configuration, pushed by the control loop: the destinations are exactly the ready workers, replaced the
/// moment a worker becomes ready or exits. YARP's own health checks (15 s by default) would be far too slow for that.
/// </summary>
internal sealed class WorkerProxyConfigProvider : IProxyConfigProvider
{
    public const string ClusterId = "workers";
    public const string WorkerIdMetadata = "workerId";

    private static readonly RouteConfig CatchAll = new()
    {
        RouteId = "all",
        ClusterId = ClusterId,
        Match = new RouteMatch { Path = "{**catch-all}" },
    };

    private volatile WorkerProxyConfig _current = Build([]);

    public IProxyConfig GetConfig() => _current;

    /// <summary>One destination per worker process (during a recycle a slot has two).</summary>
    public static string DestinationId(WorkerEndpoint worker) => $"worker-{worker.WorkerId}-pid-{worker.Pid}";

    public void Update(IReadOnlyList<WorkerEndpoint> readyWorkers)
    {
        var previous = _current;
        _current = Build(readyWorkers);
        previous.MarkReplaced();
    }

    private static WorkerProxyConfig Build(IReadOnlyList<WorkerEndpoint> readyWorkers)
    {
        // Never set SessionAffinity here: YARP's hash-cookie policy needs System.IO.Hashing, which this build lacks.
        var cluster = new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
            HttpRequest = new ForwarderRequestConfig
            {
                // Workers speak plain HTTP/1.1 on loopback; no HTTP/2 negotiation is attempted.
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            },
            Destinations = readyWorkers.ToDictionary(
                DestinationId,
                worker => new DestinationConfig
                {
                    Address = worker.Address,
                    Metadata = new Dictionary<string, string> { [WorkerIdMetadata] = worker.WorkerId.ToString(CultureInfo.InvariantCulture) },
                }),
        };
        return new WorkerProxyConfig([CatchAll], [cluster]);
    }
}
