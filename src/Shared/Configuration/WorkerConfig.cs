namespace Cluster.Shared.Configuration;

/// <summary>How to run one worker. Paths are absolute (resolved against the config file's folder).</summary>
public sealed record WorkerConfig
{
    /// <summary>The program as written in the config, for messages.</summary>
    public required string CommandAsWritten { get; init; }

    /// <summary>Absolute path of the program to run (found on PATH when written without a slash).</summary>
    public required string Command { get; init; }

    /// <summary>Arguments; may hold the {port} and {id} placeholders.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>Added to the supervisor's own environment; values may hold {port} and {id}.</summary>
    public required IReadOnlyDictionary<string, string> Env { get; init; }

    public required string WorkingDirectory { get; init; }

    public required ReadinessConfig Readiness { get; init; }

    /// <summary>Time between SIGTERM and SIGKILL when stopping a worker.</summary>
    public required TimeSpan StopTimeout { get; init; }

    /// <summary>HTTP/1.1 (the default) or HTTP/2 cleartext to the worker; readiness and health checks speak the same.</summary>
    public WorkerProtocol Protocol { get; init; } = WorkerProtocol.Http1;

    /// <summary>Pin each worker to a CPU of its own (Auto), or not (None, the default).</summary>
    public CpuAffinity CpuAffinity { get; init; } = CpuAffinity.None;

    /// <summary>How long a worker taken out of rotation (to be replaced) may keep serving its in-flight requests.</summary>
    public required TimeSpan DrainTimeout { get; init; }
}
