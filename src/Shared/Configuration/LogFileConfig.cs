namespace Cluster.Shared.Configuration;

/// <summary>The supervisor's log file and the rolling of every log file (the per-worker files roll the same way).</summary>
public sealed record LogFileConfig
{
    /// <summary>Absolute path of the supervisor's log file; null is off.</summary>
    public string? Path { get; init; }

    /// <summary>A new file is started at every such period.</summary>
    public LogRollingInterval RollingInterval { get; init; }

    /// <summary>A file that reaches this size is closed and a new one started; null is no size limit.</summary>
    public long? MaxSizeBytes { get; init; }

    /// <summary>How many files of one log are kept, the current one included; older ones are deleted.</summary>
    public int RetainedFiles { get; init; }

    public LogFileFormat Format { get; init; }
}
