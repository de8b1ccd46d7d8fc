namespace Cluster.Shared.Configuration;

public sealed record LogConfig
{
    public LogLevelSetting Level { get; init; }
    public LogFileConfig File { get; init; } = new();
    public string? WorkerFiles { get; init; }
    public int MemoryLines { get; init; }
}
