namespace Cluster.Supervisor.Metrics;

/// <summary>
/// A histogram read at one moment: <see cref="CumulativeCounts"/> has one entry per upper bound plus the last for
/// +Inf, each counting every observation up to that bound (Prometheus's "le" buckets).
/// </summary>
internal sealed record HistogramSnapshot(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> CumulativeCounts, double Sum)
{
    public long Count => CumulativeCounts[^1];

    /// <summary>The observations of both, which have the same bounds (the series of one family).</summary>
    public HistogramSnapshot Plus(HistogramSnapshot other) =>
        new(UpperBounds, [.. CumulativeCounts.Zip(other.CumulativeCounts, (a, b) => a + b)], Sum + other.Sum);
}
