namespace Cluster.Shared.Configuration;

/// <summary>When a log file is closed and a new one started, besides <see cref="LogFileConfig.MaxSizeBytes"/>.</summary>
public enum LogRollingInterval
{
    Never,
    Year,
    Month,
    Day,
    Hour,
    Minute,
}
