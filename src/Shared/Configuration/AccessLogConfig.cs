namespace Cluster.Shared.Configuration;

public sealed record AccessLogConfig
{
    public bool Enabled { get; init; }
}
