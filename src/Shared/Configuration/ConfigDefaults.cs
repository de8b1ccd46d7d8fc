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

    public static readonly TimeSpan RestartDelay = TimeSpan.FromMilliseconds(100);

    public const LogLevelSetting LogLevel = LogLevelSetting.Information;
}
