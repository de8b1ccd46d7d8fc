namespace Cluster.Supervisor.Metrics;

/// <summary>
/// A histogram read at one moment: <see cref="CumulativeCounts"/> has one entry per upper bound plus the last for
/// +Inf, each counting every observation up to that bound (Prometheus's "le" buckets).
/// </summary>
internal sealed record HistogramSnapshot(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> CumulativeCounts, double Sum)
{
    public long Count => CumulativeCounts[^1];
}
