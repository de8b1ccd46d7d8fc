using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.FrontEnd.Routing;

/// <summary>
/// One app as the proxy forwards to it: its ready workers (<see cref="WorkerPool"/>, balanced by its own policy) and the
/// forwarding settings of its workers' protocol. Kept for as long as the front end runs, so that a worker's traffic
/// counts survive route changes and its drain can still be waited for after its app has left the routes.
/// </summary>
internal sealed class AppTarget(string name, LoadBalancingPolicy policy, Metrics.SlotCounters slots)
{
    /// <summary>Requests sent to each of its slots, for the metrics.</summary>
    public Metrics.SlotCounters Slots { get; } = slots;

    private volatile ProxySettings? _settings;
    private volatile Workers.Routing.RateLimitBudget? _rateLimit;

    public string Name { get; } = name;

    public WorkerPool Pool { get; } = new(policy);

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
