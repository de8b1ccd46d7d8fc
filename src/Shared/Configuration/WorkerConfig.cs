namespace Cluster.Shared.Configuration;

/// <summary>How to run one worker. Paths are absolute (resolved against the config file's folder).</summary>
public sealed record WorkerConfig
{
    /// <summary>The program as written in the config, for messages.</summary>
    public string CommandAsWritten { get; init; } = string.Empty;

    /// <summary>Absolute path of the program to run (found on PATH when written without a slash).</summary>
    public string Command { get; init; } = string.Empty;

    /// <summary>Arguments; may hold the {port} and {id} placeholders.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Added to the supervisor's own environment; values may hold {port} and {id}.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public string WorkingDirectory { get; init; } = string.Empty;

    public ReadinessConfig Readiness { get; init; } = new();

    /// <summary>Time between SIGTERM and SIGKILL when stopping a worker.</summary>
    public TimeSpan StopTimeout { get; init; }

    /// <summary>HTTP/1.1 (the default) or HTTP/2 cleartext to the worker; readiness and health checks speak the same.</summary>
    public WorkerProtocol Protocol { get; init; }

    /// <summary>Pin each worker to a CPU of its own (Auto), or not (None, the default).</summary>
    public CpuAffinity CpuAffinity { get; init; }

    /// <summary>How long a worker taken out of rotation (to be replaced) may keep serving its in-flight requests.</summary>
    public TimeSpan DrainTimeout { get; init; }
}
