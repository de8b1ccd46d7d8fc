namespace Cluster.TestSupport;

/// <summary>One sample line of a Prometheus scrape: <c>name{label="value",...} value</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>True when every given label has the given value (other labels may exist).</summary>
    public bool Has(params (string Name, string Value)[] labels) =>
        labels.All(label => Labels.TryGetValue(label.Name, out var value) && value == label.Value);
}
