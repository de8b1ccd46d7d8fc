namespace Cluster.Shared.Configuration;

/// <summary>Values given on the command line; each replaces the file's value and is validated the same way.</summary>
public sealed record ConfigOverrides
{
    public static readonly ConfigOverrides None = new();

    /// <summary>--workers: "auto" or an integer.</summary>
    public string? Workers { get; init; }

    /// <summary>--listen: a URL, or several separated by commas (the flag may be repeated).</summary>
    public string? Listen { get; init; }
}
