namespace Cluster.Shared.Configuration;

public sealed record AccessLogConfig
{
    /// <summary>One log line per request: method, path, status, duration, worker. Off by default (it costs throughput).</summary>
    public bool Enabled { get; init; }
}
