namespace Cluster.Shared.Configuration;

/// <summary>The supervisor's log level; the names follow Serilog's.</summary>
public enum LogLevelSetting
{
    Verbose,
    Debug,
    Information,
    Warning,
    Error,
    Fatal,
}
