namespace Cluster.Shared.Configuration;

/// <summary>
/// A validated supervisor.json with overrides applied. Immutable; built by <see cref="ConfigLoader"/>, which sets every
/// key (given or default) as Layout/ConfigLayout.cs describes it; the initial values here only make a blank record.
/// </summary>
public sealed record SupervisorConfig
{
    public string ConfigFile { get; init; } = string.Empty;
    public WorkerCount Workers { get; init; } = new(0, IsAuto: false);
    public IReadOnlyList<ListenerConfig> Listeners { get; init; } = [];
    public TlsConfig? Tls { get; init; }
    public bool RedirectHttpToHttps { get; init; }
    public HstsConfig? Hsts { get; init; }
    public FrontEndMode FrontEnd { get; init; }
    public TimeSpan ShutdownTimeout { get; init; }
    public WorkerConfig Worker { get; init; } = new();
    public RestartConfig Restart { get; init; } = new();
    public HealthConfig Health { get; init; } = new();
    public RecycleConfig Recycle { get; init; } = new();
    public ReloadConfig Reload { get; init; } = new();
    public string PidFile { get; init; } = string.Empty;
    public ControlConfig Control { get; init; } = new();
    public LogConfig Log { get; init; } = new();
    public ProxyConfig Proxy { get; init; } = new();
    public LimitsConfig Limits { get; init; } = new();
    public RateLimitConfig? RateLimit { get; init; }
    public AccessLogConfig AccessLog { get; init; } = new();
    public LoadBalancerHealthConfig LoadBalancerHealth { get; init; } = new();
    public MetricsConfig Metrics { get; init; } = new();
    public string ConfigDirectory => Path.GetDirectoryName(ConfigFile)!;

    /// <summary>Every listener's URL, for messages and status: "http://0.0.0.0:80, https://0.0.0.0:443".</summary>
    public string ListenDescription => string.Join(", ", Listeners);

    /// <summary>The first https:// listener (where redirects point); null when there is none.</summary>
    public ListenerConfig? FirstHttpsListener => Listeners.FirstOrDefault(l => l.IsHttps);
}
