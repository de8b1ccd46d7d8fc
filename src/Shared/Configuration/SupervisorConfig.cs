namespace Cluster.Shared.Configuration;

/// <summary>A validated supervisor.json with command-line overrides applied. Immutable; built only by <see cref="ConfigLoader"/>.</summary>
public sealed record SupervisorConfig
{
    /// <summary>Absolute path of the file this was read from.</summary>
    public required string ConfigFile { get; init; }

    public required WorkerCount Workers { get; init; }

    public required ListenAddress Listen { get; init; }

    /// <summary>How long in-flight requests may take to finish once the supervisor is asked to stop.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }

    public required WorkerConfig Worker { get; init; }

    public required RestartConfig Restart { get; init; }

    public required LogConfig Log { get; init; }

    public string ConfigDirectory => Path.GetDirectoryName(ConfigFile)!;
}
