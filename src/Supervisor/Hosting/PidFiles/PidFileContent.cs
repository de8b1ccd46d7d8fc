using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Hosting.PidFiles;

/// <summary>
/// The supervisor's pid file (JSON): its own PID and each worker's, with start times from /proc so that a PID reused by
/// an unrelated process is never mistaken for one of ours.
/// </summary>
internal sealed record PidFileContent(
    [property: JsonPropertyName("supervisor")] RecordedProcess Supervisor,
    [property: JsonPropertyName("configFile")] string ConfigFile,
    [property: JsonPropertyName("workers")] IReadOnlyList<RecordedWorker> Workers);

internal sealed record RecordedProcess(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("startTime")] long StartTime);

/// <summary>A worker as recorded: its slot, process and app (null in a pid file written before apps were recorded).</summary>
internal sealed record RecordedWorker(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("startTime")] long StartTime,
    [property: JsonPropertyName("app")] string? App = null);
