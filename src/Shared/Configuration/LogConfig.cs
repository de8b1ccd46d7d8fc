namespace Cluster.Shared.Configuration;

public sealed record LogConfig
{
    /// <summary>In <see cref="WorkerFiles"/>: replaced by each worker's app ("default" for a config without "apps"); with several apps, ids repeat.</summary>
    public const string AppPlaceholder = "{app}";

    public LogLevelSetting Level { get; init; }
    public LogFileConfig File { get; init; } = new();
    public string? WorkerFiles { get; init; }
    public int MemoryLines { get; init; }
}
