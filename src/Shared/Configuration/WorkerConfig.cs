namespace Cluster.Shared.Configuration;

/// <summary>How to run one worker. Paths are absolute (resolved against the config file's folder).</summary>
public sealed record WorkerConfig
{
    public string CommandAsWritten { get; init; } = string.Empty;
    public string Command { get; init; } = string.Empty;
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public string WorkingDirectory { get; init; } = string.Empty;

    /// <summary>The user the workers run as; null: the supervisor's own.</summary>
    public ConfiguredUser? User { get; init; }

    /// <summary>Their primary group; null: the user's own.</summary>
    public ConfiguredGroup? Group { get; init; }
    public ReadinessConfig Readiness { get; init; } = new();
    public StopSignal StopSignal { get; init; }
    public TimeSpan StopTimeout { get; init; }

    /// <summary>The stop signal and SIGKILL go to the worker's whole process group, not only to its own PID.</summary>
    public bool KillProcessGroup { get; init; }
    public WorkerProtocol Protocol { get; init; }
    public CpuAffinity CpuAffinity { get; init; }
    public TimeSpan DrainTimeout { get; init; }

    /// <summary>Who the workers run as when worker.user is set; null: as the supervisor.</summary>
    public WorkerIdentity? RunAs => User is { Account: var user }
        ? new WorkerIdentity(user.Name, user.Uid, Group?.Account.Gid ?? user.Gid, user.Home)
        : null;

    /// <summary>Requests in flight to one worker at most (the proxy holds the rest in the app's queue); null: no cap.</summary>
    public int? MaxConcurrency { get; init; }
}
