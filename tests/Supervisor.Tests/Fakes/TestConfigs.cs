using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Tests.Fakes;

internal static class TestConfigs
{
    public static SupervisorConfig Create(
        int workers = 2,
        TimeSpan? restartDelay = null,
        TimeSpan? stopTimeout = null,
        TimeSpan? readinessTimeout = null,
        TimeSpan? shutdownTimeout = null) => new()
    {
        ConfigFile = "/srv/app/supervisor.json",
        Workers = new WorkerCount(workers, IsAuto: false),
        Listen = new ListenAddress("http://127.0.0.1:8080", ListenHost.Address, System.Net.IPAddress.Loopback, 8080),
        ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(30),
        Worker = new WorkerConfig
        {
            CommandAsWritten = "server",
            Command = "/usr/bin/server",
            Args = [],
            Env = new Dictionary<string, string>(),
            WorkingDirectory = "/srv/app",
            Readiness = new ReadinessConfig { Timeout = readinessTimeout ?? TimeSpan.FromSeconds(30), Interval = TimeSpan.FromMilliseconds(100) },
            StopTimeout = stopTimeout ?? TimeSpan.FromSeconds(10),
        },
        Restart = new RestartConfig { Delay = restartDelay ?? TimeSpan.FromMilliseconds(100) },
        Log = new LogConfig { Level = LogLevelSetting.Information },
    };
}
