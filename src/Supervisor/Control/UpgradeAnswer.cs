using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Control;

/// <summary>
/// The answer to upgrade: 200 when the new supervisor has taken over (<c>pid</c>; <c>previousPid</c>, this one, then
/// drains and stops within <c>expectedWithinSeconds</c>), 409 failed or refused (<c>details</c>: the new supervisor's
/// last output), 422 invalid config.
/// </summary>
internal sealed record UpgradeAnswer(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("details")] IReadOnlyList<string> Details,
    [property: JsonPropertyName("pid")] int? Pid,
    [property: JsonPropertyName("previousPid")] int PreviousPid,
    [property: JsonPropertyName("expectedWithinSeconds")] int ExpectedWithinSeconds);
