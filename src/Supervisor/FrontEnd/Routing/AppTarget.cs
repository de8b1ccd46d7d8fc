using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Queueing;

namespace Cluster.Supervisor.FrontEnd.Routing;

/// <summary>
/// One app as the proxy forwards to it: its ready workers (<see cref="WorkerPool"/>, balanced by its own policy), the
/// queue in front of them (<see cref="RequestQueue"/>), and the forwarding settings of its workers' protocol. Kept for
/// as long as the front end runs, so that a worker's traffic counts survive route changes and its drain can still be
/// waited for after its app has left the routes.
/// </summary>
internal sealed class AppTarget
{
    private volatile ProxySettings? _settings;
    private volatile Workers.Routing.RateLimitBudget? _rateLimit;

    public AppTarget(string name, LoadBalancingPolicy policy, QueueSettings queue, Metrics.SlotCounters slots, Metrics.QueueCounters queueCounts, TimeProvider time)
    {
        Name = name;
        Slots = slots;
        QueueCounts = queueCounts;
        Pool = new WorkerPool(policy);
        Queue = new RequestQueue(Pool, queue, time);
    }

    /// <summary>Requests sent to each of its slots, for the metrics.</summary>
    public Metrics.SlotCounters Slots { get; }

    /// <summary>Its queue's waits and refusals, for the metrics.</summary>
    public Metrics.QueueCounters QueueCounts { get; }

    public string Name { get; }

    public WorkerPool Pool { get; }

    /// <summary>Where a request waits for a worker below worker.maxConcurrency; its settings follow the app's config.</summary>
    public RequestQueue Queue { get; }

    public WorkerProtocol Protocol { get; private set; }

    public bool IsConfigured => _settings is not null;

    /// <summary>The per-client budget its requests count against; null: not rate limited. Set with each published route.</summary>
    public Workers.Routing.RateLimitBudget? RateLimit
    {
        get => _rateLimit;
        set => _rateLimit = value;
    }

    /// <summary>Set before the target is first routed to; replaced whole when the proxy settings or the protocol change.</summary>
    public ProxySettings Settings => _settings ?? throw new InvalidOperationException($"app {Name} has no proxy settings yet");

    public void Configure(ProxyConfig proxy, WorkerProtocol protocol, TimeProvider time)
    {
        Protocol = protocol;
        _settings = new ProxySettings(proxy, protocol, time);
    }
}
