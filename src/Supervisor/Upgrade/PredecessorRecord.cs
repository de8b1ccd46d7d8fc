using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Upgrade;

/// <summary>The supervisor that started an upgrade: its PID and start time (as /proc shows it), version and upgrade count.</summary>
internal sealed record PredecessorRecord(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("startTime")] long StartTime,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("upgrades")] int Upgrades);
