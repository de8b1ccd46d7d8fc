namespace Cluster.Shared.Configuration;

/// <summary>Either a valid config or every error found in it; warnings (e.g. an unknown SUPERVISOR_ variable) either way.</summary>
public sealed record ConfigLoadResult(SupervisorConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null;
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Where each value set came from, by key ("workers"): a JSON path in the file, a variable or a flag.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();
    public static ConfigLoadResult Valid(SupervisorConfig config) => new(config, []);
    public static ConfigLoadResult Invalid(IReadOnlyList<ConfigError> errors) => new(null, errors);
}
