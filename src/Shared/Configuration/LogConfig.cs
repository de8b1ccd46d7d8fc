namespace Cluster.Shared.Configuration;

public sealed record LogConfig
{
    public required LogLevelSetting Level { get; init; }
}
