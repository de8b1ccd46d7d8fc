namespace Cluster.Shared.Configuration;

/// <summary>
/// One app: the workers it runs and how requests reach them (an entry of "apps", or the top-level short form, which is
/// one app named <see cref="DefaultName"/>). The keys are described in Layout/ConfigLayout.cs.
/// </summary>
public sealed record AppConfig
{
    /// <summary>The name of the one app a config without "apps" describes (workers, worker, restart, ... at the top).</summary>
    public const string DefaultName = "default";

    /// <summary>At most this many characters in an app's name.</summary>
    public const int MaxNameLength = 32;

    public string Name { get; init; } = DefaultName;
    public WorkerCount Workers { get; init; } = new(0, IsAuto: false);
    public WorkerConfig Worker { get; init; } = new();
    public RestartConfig Restart { get; init; } = new();
    public HealthConfig Health { get; init; } = new();
    public RecycleConfig Recycle { get; init; } = new();
    public ReloadConfig Reload { get; init; } = new();
    public QueueConfig Queue { get; init; } = new();

    /// <summary>Host names it serves ("shop.example.com", "*.shop.example.com"); none: any host.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Path prefixes it serves, on segment boundaries ("/api"); none: any path.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Forward the path without the matched prefix ("/api/x" as "/x").</summary>
    public bool StripPath { get; init; }

    /// <summary>Listeners of its own, where it alone is served (no host or path routing); none: the front end at the top serves it.</summary>
    public IReadOnlyList<ListenerConfig> Listeners { get; init; } = [];

    /// <summary>The front end of its own listeners (meaningless without them).</summary>
    public FrontEndMode FrontEnd { get; init; }

    public AppProxyConfig Proxy { get; init; } = new();

    /// <summary>Its own per-client budget; null: the top-level rateLimit's (if any) applies to its requests.</summary>
    public RateLimitConfig? RateLimit { get; init; }

    public bool HasOwnListeners => Listeners.Count > 0;

    /// <summary>Served by the top-level front end for every request no other app matches.</summary>
    public bool IsCatchAll => !HasOwnListeners && Hosts.Count == 0 && Paths.Count == 0;

    /// <summary>Nothing the short form (workers, worker, ... at the top) cannot say: one app named "default", routed nowhere in particular.</summary>
    public bool FitsShortForm => Name == DefaultName && IsCatchAll && !StripPath && FrontEnd == FrontEndMode.Proxy && Proxy.LoadBalancing is null && RateLimit is null;

    /// <summary>For status and messages: "hosts shop.example.com, *.shop.example.com; paths /api", "listen http://0.0.0.0:8081", "every request".</summary>
    public string RoutesDescription =>
        HasOwnListeners ? $"listen {string.Join(", ", Listeners)}{(FrontEnd == FrontEndMode.SharedSocket ? " (shared socket)" : string.Empty)}"
        : IsCatchAll ? "any host and path"
        : string.Join("; ", new[] { Hosts.Count > 0 ? $"hosts {string.Join(", ", Hosts)}" : null, Paths.Count > 0 ? $"paths {string.Join(", ", Paths)}{(StripPath ? " (stripped)" : string.Empty)}" : null }.OfType<string>());
}
