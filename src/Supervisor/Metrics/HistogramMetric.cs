namespace Cluster.Supervisor.Metrics;

/// <summary>A fixed-bucket histogram for the exporter, named and described like an instrument (OpenTelemetry style).</summary>
internal sealed record HistogramMetric(string Name, string Unit, string Description, Func<HistogramSnapshot> Read);
