namespace Cluster.Shared.Configuration;

/// <summary>Either a valid config or every error found in it.</summary>
public sealed record ConfigLoadResult(SupervisorConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null;

    public static ConfigLoadResult Valid(SupervisorConfig config) => new(config, []);

    public static ConfigLoadResult Invalid(IReadOnlyList<ConfigError> errors) => new(null, errors);
}
