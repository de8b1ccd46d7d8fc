using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Control;

/// <summary>
/// The front end's counters since the supervisor started, as in GET /metrics: requests by status class ("1xx" to
/// "5xx"), retries, and the latency histogram (upper bounds in seconds; cumulative counts, the last one for +Inf).
/// </summary>
internal sealed record FrontEndTraffic(
    [property: JsonPropertyName("requests")] IReadOnlyDictionary<string, long> Requests,
    [property: JsonPropertyName("retries")] long Retries,
    [property: JsonPropertyName("latency")] LatencyBuckets Latency);

internal sealed record LatencyBuckets(
    [property: JsonPropertyName("upperBoundsSeconds")] IReadOnlyList<double> UpperBoundsSeconds,
    [property: JsonPropertyName("cumulativeCounts")] IReadOnlyList<long> CumulativeCounts);
