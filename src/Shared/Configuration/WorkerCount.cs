namespace Cluster.Shared.Configuration;

/// <summary>
/// How many workers to run; <see cref="IsAuto"/> when it came from "auto" (one per CPU the process may use). A pool
/// that follows the load has its <see cref="Range"/>, and <see cref="Count"/> is then the number it starts with.
/// </summary>
public sealed record WorkerCount(int Count, bool IsAuto)
{
    public const int Max = 1024;

    /// <summary>The bounds of a pool that follows the load; null for a fixed count.</summary>
    public WorkerRange? Range { get; init; }

    public bool IsRanged => Range is not null;

    /// <summary>The fewest workers the app runs: its fixed count, or its range's minimum.</summary>
    public int Least => Range?.Min ?? Count;

    /// <summary>The most workers the app runs: its fixed count, or its range's maximum.</summary>
    public int Most => Range?.Max.Count ?? Count;

    public static WorkerCount Ranged(WorkerRange range) => new(range.Initial, IsAuto: false) { Range = range };

    public override string ToString() => Range is { } range ? range.ToString() : IsAuto ? $"{Count} (auto)" : Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
