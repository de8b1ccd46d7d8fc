namespace Cluster.Shared.Configuration;

/// <summary>How to run one worker. Paths are absolute (resolved against the config file's folder).</summary>
public sealed record WorkerConfig
{
    public string CommandAsWritten { get; init; } = string.Empty;
    public string Command { get; init; } = string.Empty;
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public string WorkingDirectory { get; init; } = string.Empty;
    public ReadinessConfig Readiness { get; init; } = new();
    public TimeSpan StopTimeout { get; init; }
    public WorkerProtocol Protocol { get; init; }
    public CpuAffinity CpuAffinity { get; init; }
    public TimeSpan DrainTimeout { get; init; }
}
