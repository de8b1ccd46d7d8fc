using System.Text.Json.Serialization;

namespace Cluster.Worker.Status;

/// <summary>The body of <c>GET /healthz</c>: <c>{"status":"ok","workerId":0,"pid":123}</c>, plus <c>error</c> when unhealthy.</summary>
internal sealed record HealthReport(string Status, int WorkerId, int Pid)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
