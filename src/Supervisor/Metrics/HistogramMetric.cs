namespace Cluster.Supervisor.Metrics;

/// <summary>A fixed-bucket histogram family for the exporter, named and described like an instrument (OpenTelemetry style), read as its series.</summary>
internal sealed record HistogramMetric(string Name, string Unit, string Description, Func<IEnumerable<HistogramSeries>> Read);
