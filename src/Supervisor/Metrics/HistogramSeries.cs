namespace Cluster.Supervisor.Metrics;

/// <summary>One series of a histogram family: its labels (before "le") and its buckets read at one moment.</summary>
internal sealed record HistogramSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, HistogramSnapshot Snapshot);
