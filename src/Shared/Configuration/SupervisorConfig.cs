namespace Cluster.Shared.Configuration;

/// <summary>
/// A validated supervisor.json with overrides applied. Immutable; built by <see cref="ConfigLoader"/>, which sets every
/// key (given or default) as Layout/ConfigLayout.cs describes it; the initial values here only make a blank record.
/// </summary>
public sealed record SupervisorConfig
{
    public string ConfigFile { get; init; } = string.Empty;
    public IReadOnlyList<ListenerConfig> Listeners { get; init; } = [];
    public TlsConfig? Tls { get; init; }
    public bool RedirectHttpToHttps { get; init; }
    public HstsConfig? Hsts { get; init; }
    public FrontEndMode FrontEnd { get; init; }
    public TimeSpan ShutdownTimeout { get; init; }

    /// <summary>The apps, in the file's order: the entries of "apps", or the one app "default" of the short form.</summary>
    public IReadOnlyList<AppConfig> Apps { get; init; } = [];

    /// <summary>Workers of every app together at most ("maxWorkers"); null: no machine-wide cap.</summary>
    public int? MaxWorkers { get; init; }
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

    /// <summary>One app that the short form (workers, worker, ... at the top, no "apps") describes exactly.</summary>
    public bool IsShortForm => Apps is [{ FitsShortForm: true }];

    /// <summary>The app of that name; null when there is none.</summary>
    public AppConfig? App(string name) => Apps.FirstOrDefault(a => a.Name == name);

    /// <summary>The longest worker.stopTimeout of any app: how long stopping every worker may take before SIGKILL.</summary>
    public TimeSpan LongestStopTimeout => Apps.Count == 0 ? TimeSpan.Zero : Apps.Max(a => a.Worker.StopTimeout);

    /// <summary>Several apps and log.workerFiles without {app}: workers of the same id of two apps would write one file.</summary>
    public bool WorkerFilesCollide => Apps.Count > 1 && Log.WorkerFiles is { } pattern && !pattern.Contains(LogConfig.AppPlaceholder, StringComparison.Ordinal);

    /// <summary>Every listener's URL, for messages and status: "http://0.0.0.0:80, https://0.0.0.0:443".</summary>
    public string ListenDescription => string.Join(", ", Listeners);

    /// <summary>The first https:// listener (where redirects point); null when there is none.</summary>
    public ListenerConfig? FirstHttpsListener => Listeners.FirstOrDefault(l => l.IsHttps);
}
