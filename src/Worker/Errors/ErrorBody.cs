using System.Text.Json.Serialization;

namespace Cluster.Worker.Errors;

/// <summary>The JSON body of every error response that is not a validation problem: <c>{"error":"..."}</c>.</summary>
internal sealed record ErrorBody(string Error)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceId { get; init; }
}
