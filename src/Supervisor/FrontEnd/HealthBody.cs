using System.Text.Json.Serialization;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>The load-balancer health endpoint's answer: {"status": "ok", "readyWorkers": 2}.</summary>
internal sealed record HealthBody(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("readyWorkers")] int ReadyWorkers);
