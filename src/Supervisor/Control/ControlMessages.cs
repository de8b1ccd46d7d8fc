using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Control;

/// <summary>POST /v1/scale: {"workers": "4"}, "+1" or "-2".</summary>
internal sealed record ScaleRequestBody([property: JsonPropertyName("workers")] string? Workers);

/// <summary>The answer to reload and scale: 200 done, 409 failed or refused, 422 bad config or request.</summary>
internal sealed record OperationAnswer(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("details")] IReadOnlyList<string> Details);

/// <summary>The answer to stop (202): the PID to wait for, and how long the stop may take at most.</summary>
internal sealed record StopAnswer(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("expectedWithinSeconds")] int ExpectedWithinSeconds);
