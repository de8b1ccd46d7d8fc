namespace Cluster.Supervisor.Metrics;

/// <summary>One series of a histogram family: its labels (besides "le"; none for the unlabelled one) and its counts.</summary>
internal sealed record HistogramSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, HistogramSnapshot Snapshot);
