using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// One address the supervisor listens on, named by its config key: a public listener ("listen", or an app's own,
/// "apps.NAME.listen"), the load-balancer
/// health endpoint's own port ("loadBalancerHealth.listen") or the metrics port ("metrics.listen"). The key is also the
/// name a socket may carry (systemd's FileDescriptorName=, the upgrade's LISTEN_FDNAMES) to be matched to it.
/// </summary>
/// <param name="OneSocket">Served by a shared socket: exactly one socket, which every worker of it gets as fd 3.</param>
internal sealed record ListenEntry(string Key, ListenAddress Address, bool OneSocket = false)
{
    public const string PublicKey = "listen";
    public const string HealthKey = "loadBalancerHealth.listen";
    public const string MetricsKey = "metrics.listen";

    public static readonly IReadOnlyList<string> Keys = [PublicKey, HealthKey, MetricsKey];

    /// <summary>
    /// Public listeners must all have a socket when systemd passed any: an unmatched one would be a port the unit does
    /// not know about. The health and metrics ports may come from systemd or be bound by the supervisor.
    /// </summary>
    public bool IsPublic => Key == PublicKey || Key.StartsWith("apps.", StringComparison.Ordinal);

    /// <summary>Every address of the config, public listeners first, in the config's order.</summary>
    public static IReadOnlyList<ListenEntry> Of(SupervisorConfig config) =>
    [
        .. config.Listeners.Select(l => new ListenEntry(PublicKey, l.Endpoint, config.FrontEnd == FrontEndMode.SharedSocket)),
        .. config.Apps.SelectMany(a => a.Listeners.Select(l => new ListenEntry($"apps.{a.Name}.listen", l.Endpoint, a.FrontEnd == FrontEndMode.SharedSocket))),
        .. config.LoadBalancerHealth.Listen is { } health ? [new ListenEntry(HealthKey, health)] : Array.Empty<ListenEntry>(),
        .. config.Metrics.Listen is { } metrics ? [new ListenEntry(MetricsKey, metrics)] : Array.Empty<ListenEntry>(),
    ];

    public override string ToString() => $"{Key} {Address.Url}";
}
