namespace Cluster.Shared.Configuration;

/// <summary>One problem in the configuration: where (a JSON path such as $.worker.command, or a flag such as --workers) and what is allowed.</summary>
public sealed record ConfigError(string Path, string Message)
{
    /// <summary>Whether the JSON Schema can say it too, or why not.</summary>
    public ConfigErrorKind Kind { get; init; }
    public override string ToString() => $"{Path}: {Message}";
}
