using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Queueing;

namespace Cluster.Supervisor.Workers.Routing;

/// <summary>
/// One app as a front end serves it: which requests are its (hosts, paths; none of either: any), how they are
/// forwarded (stripPath, the workers' protocol, the balancing policy), how requests wait for a busy worker (the queue's
/// settings), the per-client budget they count against (none: not rate limited), and its ready workers.
/// </summary>
internal sealed record AppRoute(
    string App,
    IReadOnlyList<string> Hosts,
    IReadOnlyList<string> Paths,
    bool StripPath,
    WorkerProtocol Protocol,
    LoadBalancingPolicy Balancing,
    QueueSettings Queue,
    RateLimitBudget? RateLimit,
    IReadOnlyList<WorkerEndpoint> Ready)
{
    /// <summary>Whether the requests it matches and how they are forwarded are those of <paramref name="other"/> (its workers aside).</summary>
    public bool SameRouteAs(AppRoute other) =>
        App == other.App && Hosts.SequenceEqual(other.Hosts) && Paths.SequenceEqual(other.Paths) && StripPath == other.StripPath && Protocol == other.Protocol && Balancing == other.Balancing && Equals(RateLimit, other.RateLimit);

    /// <summary>Whether nothing of it changed: its route, its queue's settings, its ready workers.</summary>
    public bool SameAs(AppRoute other) => SameRouteAs(other) && Queue == other.Queue && Ready.SequenceEqual(other.Ready);
}
