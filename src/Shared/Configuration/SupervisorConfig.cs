namespace Cluster.Shared.Configuration;

/// <summary>A validated supervisor.json with command-line overrides applied. Immutable; built only by <see cref="ConfigLoader"/>.</summary>
public sealed record SupervisorConfig
{
    /// <summary>Absolute path of the file this was read from.</summary>
    public required string ConfigFile { get; init; }

    public required WorkerCount Workers { get; init; }

    /// <summary>The public listeners ("listen"), at least one, in the order written; no two on the same port.</summary>
    public required IReadOnlyList<ListenerConfig> Listeners { get; init; }

    /// <summary>The certificates of the https:// listeners; null when there is none.</summary>
    public TlsConfig? Tls { get; init; }

    /// <summary>Answer requests on the HTTP/1 http:// listeners with a 308 to the first https:// listener.</summary>
    public bool RedirectHttpToHttps { get; init; }

    /// <summary>Null: no Strict-Transport-Security header.</summary>
    public HstsConfig? Hsts { get; init; }

    /// <summary>The supervisor's proxy (the default), or one listening socket the workers accept from themselves.</summary>
    public FrontEndMode FrontEnd { get; init; } = FrontEndMode.Proxy;

    /// <summary>How long in-flight requests may take to finish once the supervisor is asked to stop.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }

    public required WorkerConfig Worker { get; init; }

    public required RestartConfig Restart { get; init; }

    public required HealthConfig Health { get; init; }

    public required RecycleConfig Recycle { get; init; }

    /// <summary>How a rolling reload is confirmed (and rolled back when it fails).</summary>
    public ReloadConfig Reload { get; init; } = ReloadConfig.Default;

    /// <summary>Where the supervisor records its PID and its workers', so a later start can find leftovers of this one.</summary>
    public required string PidFile { get; init; }

    public required ControlConfig Control { get; init; }

    public required LogConfig Log { get; init; }

    public required ProxyConfig Proxy { get; init; }

    public required LimitsConfig Limits { get; init; }

    /// <summary>Null when rate limiting is off.</summary>
    public RateLimitConfig? RateLimit { get; init; }

    public required AccessLogConfig AccessLog { get; init; }

    public required LoadBalancerHealthConfig LoadBalancerHealth { get; init; }

    public required MetricsConfig Metrics { get; init; }

    public string ConfigDirectory => Path.GetDirectoryName(ConfigFile)!;

    /// <summary>Every listener's URL, for messages and status: "http://0.0.0.0:80, https://0.0.0.0:443".</summary>
    public string ListenDescription => string.Join(", ", Listeners);

    /// <summary>The first https:// listener (where redirects point); null when there is none.</summary>
    public ListenerConfig? FirstHttpsListener => Listeners.FirstOrDefault(l => l.IsHttps);
}
