namespace Cluster.Shared.Configuration;

/// <summary>"log.file": the supervisor's log file and how every log file rolls (see Layout/ConfigLayout.cs).</summary>
public sealed record LogFileConfig
{
    public string? Path { get; init; }
    public LogRollingInterval RollingInterval { get; init; }
    public long? MaxSizeBytes { get; init; }
    public int RetainedFiles { get; init; }
    public LogFileFormat Format { get; init; }
}
