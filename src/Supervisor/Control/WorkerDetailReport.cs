using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Control;

/// <summary>
/// GET /v1/workers/{id} and `supervisor status --worker ID --json`: one slot, its process(es) as in the status rows
/// (two during a reload or recycle), and its last exits, newest first. Documented in the README; keep it stable.
/// </summary>
internal sealed record WorkerDetailReport(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("restarts")] int Restarts,
    [property: JsonPropertyName("restartsLastHour")] int RestartsLastHour,
    [property: JsonPropertyName("processes")] IReadOnlyList<WorkerStatus> Processes,
    [property: JsonPropertyName("exits")] IReadOnlyList<ExitStatus> Exits);

internal sealed record ExitStatus(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("pid")] int? Pid,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("exitCode")] int? ExitCode,
    [property: JsonPropertyName("signal")] string? Signal,
    [property: JsonPropertyName("uptimeSeconds")] double? UptimeSeconds,
    [property: JsonPropertyName("then")] ExitThen? Then,
    [property: JsonPropertyName("lastOutput")] IReadOnlyList<string> LastOutput);

/// <summary>What the supervisor did after the exit: restarted, crashLoop, gaveUp, replaced, replacementFailed.</summary>
internal sealed record ExitThen(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("restartDelaySeconds")] double? RestartDelaySeconds);
