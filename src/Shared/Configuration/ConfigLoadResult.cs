namespace Cluster.Shared.Configuration;

/// <summary>Either a valid config or every error found in it; warnings (e.g. an unknown SUPERVISOR_ variable) either way.</summary>
public sealed record ConfigLoadResult(SupervisorConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null;

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static ConfigLoadResult Valid(SupervisorConfig config) => new(config, []);

    public static ConfigLoadResult Invalid(IReadOnlyList<ConfigError> errors) => new(null, errors);
}
