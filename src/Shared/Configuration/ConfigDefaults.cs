namespace Cluster.Shared.Configuration;

/// <summary>Every default of supervisor.json in one place (the README's configuration table lists the same values).</summary>
public static class ConfigDefaults
{
    public const string FileName = "supervisor.json";

    public const string Listen = "http://127.0.0.1:8080";

    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan ReadinessInterval = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan RestartDelay = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan RestartMaxDelay = TimeSpan.FromSeconds(30);

    public const double RestartMultiplier = 2;

    public const double RestartJitter = 0.2;

    public static readonly TimeSpan RestartResetAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// As long as restart.resetAfter: a new worker up this long counts as stable to the restart policy too, and it
    /// leaves room for health.unhealthyThreshold (2) failed checks at health.interval (5s) before it is trusted.
    /// </summary>
    public static readonly TimeSpan ReloadConfirmAfter = TimeSpan.FromSeconds(30);

    public const int CrashLoopAfter = 5;

    public static readonly TimeSpan RestartWindow = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(2);

    public const int HealthUnhealthyThreshold = 2;

    public const int HealthRestartThreshold = 4;

    public const LogLevelSetting LogLevel = LogLevelSetting.Information;

    public const LogRollingInterval LogRollingInterval = Configuration.LogRollingInterval.Day;

    public const long LogMaxFileBytes = 100L * 1024 * 1024;

    public const int LogRetainedFiles = 14;

    public const LogFileFormat LogFileFormat = Configuration.LogFileFormat.Json;

    public const string WorkerFileName = "worker-{id}.log";

    /// <summary>The in-memory ring of `supervisor logs`; README "Logs" states what it costs (measured).</summary>
    public const int LogMemoryLines = 2000;

    public const int LogMemoryLinesMax = 1_000_000;

    public static readonly TimeSpan ProxyRequestTimeout = TimeSpan.FromSeconds(100);

    public const LoadBalancingPolicy LoadBalancing = LoadBalancingPolicy.RoundRobin;

    // Kestrel's own defaults, stated here so that they are documented and visible.
    public const long MaxRequestBodyBytes = 30_000_000;

    public const int MaxRequestHeadersBytes = 32 * 1024;

    public const int MaxRequestHeaderCount = 100;

    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(130);

    // Kestrel's HTTP/2 defaults too: 100 streams is what browsers and gRPC clients expect (and nginx's
    // http2_max_concurrent_streams default is 128); the windows let one stream upload at full speed on a fast link
    // without letting one connection hold more than 1 MB of unread body.
    public const int Http2MaxStreamsPerConnection = 100;

    public const int Http2HeaderTableSize = 4096;

    public const int Http2InitialConnectionWindowSize = 1024 * 1024;

    public const int Http2InitialStreamWindowSize = 768 * 1024;

    public const int Http2MaxFrameSize = 16 * 1024;

    /// <summary>HSTS: one year, what the HSTS preload list asks for and most guides advise.</summary>
    public static readonly TimeSpan HstsMaxAge = TimeSpan.FromDays(365);

    /// <summary>A certificate that expires within this is warned about at start, at every reload and once a day.</summary>
    public static readonly TimeSpan CertificateExpiryWarning = TimeSpan.FromDays(14);
}
