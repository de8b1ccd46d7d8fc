using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// One address the supervisor listens on, named by its config key: a public listener ("listen"), the load-balancer
/// health endpoint's own port ("loadBalancerHealth.listen") or the metrics port ("metrics.listen"). The key is also the
/// name a socket may carry (systemd's FileDescriptorName=, the upgrade's LISTEN_FDNAMES) to be matched to it.
/// </summary>
internal sealed record ListenEntry(string Key, ListenAddress Address)
{
    public const string PublicKey = "listen";
    public const string HealthKey = "loadBalancerHealth.listen";
    public const string MetricsKey = "metrics.listen";

    public static readonly IReadOnlyList<string> Keys = [PublicKey, HealthKey, MetricsKey];

    /// <summary>
    /// Public listeners must all have a socket when systemd passed any: an unmatched one would be a port the unit does
    /// not know about. The health and metrics ports may come from systemd or be bound by the supervisor.
    /// </summary>
    public bool IsPublic => Key == PublicKey;

    /// <summary>Every address of the config, public listeners first, in the config's order.</summary>
    public static IReadOnlyList<ListenEntry> Of(SupervisorConfig config) =>
    [
        .. config.Listeners.Select(l => new ListenEntry(PublicKey, l.Endpoint)),
        .. config.LoadBalancerHealth.Listen is { } health ? [new ListenEntry(HealthKey, health)] : Array.Empty<ListenEntry>(),
        .. config.Metrics.Listen is { } metrics ? [new ListenEntry(MetricsKey, metrics)] : Array.Empty<ListenEntry>(),
    ];

    public override string ToString() => $"{Key} {Address.Url}";
}
