namespace Cluster.Shared.Configuration;

/// <summary>
/// A validated supervisor.json with overrides applied. Immutable; built by <see cref="ConfigLoader"/>, which sets every
/// key (given or default) as Layout/ConfigLayout.cs describes it; the initial values here only make a blank record.
/// </summary>
public sealed record SupervisorConfig
{
    /// <summary>Absolute path of the file this was read from.</summary>
    public string ConfigFile { get; init; } = string.Empty;

    public WorkerCount Workers { get; init; } = new(0, IsAuto: false);

    /// <summary>The public listeners ("listen"), at least one, in the order written; no two on the same port.</summary>
    public IReadOnlyList<ListenerConfig> Listeners { get; init; } = [];

    /// <summary>The certificates of the https:// listeners; null when there is none.</summary>
    public TlsConfig? Tls { get; init; }

    /// <summary>Answer requests on the HTTP/1 http:// listeners with a 308 to the first https:// listener.</summary>
    public bool RedirectHttpToHttps { get; init; }

    /// <summary>Null: no Strict-Transport-Security header.</summary>
    public HstsConfig? Hsts { get; init; }

    /// <summary>The supervisor's proxy (the default), or one listening socket the workers accept from themselves.</summary>
    public FrontEndMode FrontEnd { get; init; }

    /// <summary>How long in-flight requests may take to finish once the supervisor is asked to stop.</summary>
    public TimeSpan ShutdownTimeout { get; init; }

    public WorkerConfig Worker { get; init; } = new();

    public RestartConfig Restart { get; init; } = new();

    public HealthConfig Health { get; init; } = new();

    public RecycleConfig Recycle { get; init; } = new();

    /// <summary>How a rolling reload is confirmed (and rolled back when it fails).</summary>
    public ReloadConfig Reload { get; init; } = new();

    /// <summary>Where the supervisor records its PID and its workers', so a later start can find leftovers of this one.</summary>
    public string PidFile { get; init; } = string.Empty;

    public ControlConfig Control { get; init; } = new();

    public LogConfig Log { get; init; } = new();

    public ProxyConfig Proxy { get; init; } = new();

    public LimitsConfig Limits { get; init; } = new();

    /// <summary>Null when rate limiting is off.</summary>
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
