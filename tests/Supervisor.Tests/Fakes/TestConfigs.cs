using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Fakes;

internal static class TestConfigs
{
    /// <summary>The documented defaults, as the loader gives them for a minimal config.</summary>
    public static SupervisorConfig Defaults { get; } = ConfigLoader.Parse(
        """{ "worker": { "command": "/bin/sh" } }""", "/srv/app/supervisor.json", ConfigOverrides.None, new ConfigEnvironment(2, null, "/run/cluster")).Config!;

    public static SupervisorConfig Create(
        int workers = 2,
        TimeSpan? restartDelay = null,
        TimeSpan? stopTimeout = null,
        TimeSpan? readinessTimeout = null,
        TimeSpan? shutdownTimeout = null,
        RestartConfig? restart = null,
        HealthConfig? health = null,
        RecycleConfig? recycle = null,
        ReloadConfig? reload = null) => new()
    {
        ConfigFile = "/srv/app/supervisor.json",
        Apps = [App(workers, restartDelay, stopTimeout, readinessTimeout, restart, health, recycle, reload)],
        Listeners = [new ListenerConfig(new ListenAddress("http://127.0.0.1:8080", ListenHost.Address, System.Net.IPAddress.Loopback, 8080))],
        ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(30),
        PidFile = "/run/cluster/test.pids.json",
        Control = new ControlConfig { Socket = "/run/cluster/test.sock" },
        Log = new LogConfig
        {
            Level = LogLevelSetting.Information,
            File = new LogFileConfig { RollingInterval = LogRollingInterval.Day, MaxSizeBytes = 100 * 1024 * 1024, RetainedFiles = 14, Format = LogFileFormat.Json },
            MemoryLines = 2000,
        },
        Proxy = new ProxyConfig { LoadBalancing = LoadBalancingPolicy.RoundRobin, Retry = true, RequestTimeout = TimeSpan.FromSeconds(100), ForwardedHeaders = ForwardedHeadersMode.Set },
        Limits = new LimitsConfig
        {
            MaxRequestBodyBytes = 30_000_000,
            MaxRequestHeadersBytes = 32 * 1024,
            MaxRequestHeaderCount = 100,
            RequestHeadersTimeout = TimeSpan.FromSeconds(30),
            KeepAliveTimeout = TimeSpan.FromSeconds(130),
            Http2MaxStreamsPerConnection = 100,
            Http2HeaderTableSize = 4096,
            Http2InitialConnectionWindowSize = 1024 * 1024,
            Http2InitialStreamWindowSize = 768 * 1024,
            Http2MaxFrameSize = 16 * 1024,
        },
        AccessLog = new AccessLogConfig { Enabled = false },
        LoadBalancerHealth = new LoadBalancerHealthConfig { DrainDelay = TimeSpan.Zero },
        Metrics = new MetricsConfig(),
    };

    /// <summary>One app as <see cref="Create"/> makes it, named <paramref name="name"/>, routed by <paramref name="hosts"/>.</summary>
    public static AppConfig App(
        int workers = 2,
        TimeSpan? restartDelay = null,
        TimeSpan? stopTimeout = null,
        TimeSpan? readinessTimeout = null,
        RestartConfig? restart = null,
        HealthConfig? health = null,
        RecycleConfig? recycle = null,
        ReloadConfig? reload = null,
        string name = AppConfig.DefaultName,
        params string[] hosts) => new()
    {
        Name = name,
        Hosts = hosts,
        Workers = new WorkerCount(workers, IsAuto: false),
        Worker = new WorkerConfig
        {
            CommandAsWritten = "server",
            Command = "/usr/bin/server",
            Args = [],
            Env = new Dictionary<string, string>(),
            WorkingDirectory = "/srv/app",
            Readiness = new ReadinessConfig { Timeout = readinessTimeout ?? TimeSpan.FromSeconds(30), Interval = TimeSpan.FromMilliseconds(100) },
            StopSignal = StopSignal.Terminate,
            StopTimeout = stopTimeout ?? TimeSpan.FromSeconds(10),
            KillProcessGroup = true,
            DrainTimeout = TimeSpan.FromSeconds(30),
        },
        Restart = restart ?? Restart(delay: restartDelay),
        Health = health ?? new HealthConfig { Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(2), UnhealthyThreshold = 2, RestartThreshold = 4 },
        Recycle = recycle ?? new RecycleConfig { MaxRequestsJitter = 0 },
        // No confirmation window unless a test asks for one: the reload tests that are not about it stay as they were.
        Reload = reload ?? new ReloadConfig { ConfirmAfter = TimeSpan.Zero, KeepOldWorkers = true },
    };

    /// <summary>The documented defaults, with no jitter so that delays are exact in tests.</summary>
    public static RestartConfig Restart(
        TimeSpan? delay = null,
        TimeSpan? maxDelay = null,
        double multiplier = 2,
        double jitter = 0,
        TimeSpan? resetAfter = null,
        int crashLoopAfter = 5,
        int? maxRestarts = null,
        TimeSpan? window = null,
        params int[] noRestartExitCodes) => new()
    {
        Delay = delay ?? TimeSpan.FromMilliseconds(100),
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(30),
        Multiplier = multiplier,
        Jitter = jitter,
        ResetAfter = resetAfter ?? TimeSpan.FromSeconds(30),
        CrashLoopAfter = crashLoopAfter,
        MaxRestarts = maxRestarts,
        Window = window ?? TimeSpan.FromMinutes(5),
        NoRestartExitCodes = noRestartExitCodes.ToHashSet(),
    };
}
