namespace Cluster.Supervisor.Metrics;

/// <summary>
/// A fixed-bucket histogram family for the exporter, named and described like an instrument (OpenTelemetry style):
/// one series per label set (<see cref="Read"/>; a family without labels has one series with none).
/// </summary>
internal sealed record HistogramMetric(string Name, string Unit, string Description, Func<IEnumerable<HistogramSeries>> Read)
{
    /// <summary>A family of one series without labels.</summary>
    public static HistogramMetric Single(string name, string unit, string description, Func<HistogramSnapshot> read) =>
        new(name, unit, description, () => [new HistogramSeries([], read())]);
}
