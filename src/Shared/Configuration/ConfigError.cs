namespace Cluster.Shared.Configuration;

/// <summary>One problem in the configuration: where (a JSON path such as $.worker.command, or a flag such as --workers) and what is allowed.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
