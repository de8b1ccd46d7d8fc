using System.Text.Json;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Control;

/// <summary>
/// One line of GET /v1/logs (<see cref="LogWire"/>): a log line (<see cref="Json"/> as the supervisor sent it, the
/// log.file JSON form; <see cref="Text"/> as its console printed it), or the end of a follower's stream
/// (<see cref="End"/>: "stopped" or "dropped", with <see cref="Message"/>).
/// </summary>
internal sealed record LogStreamRecord(string Json, string? Text, string? End, string? Message)
{
    /// <summary>Null for a line that is not a JSON object.</summary>
    public static LogStreamRecord? Parse(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return root.TryGetProperty("end", out var end)
                ? new LogStreamRecord(line, null, end.GetString(), root.TryGetProperty("message", out var message) ? message.GetString() : null)
                : new LogStreamRecord(line, LogWire.ConsoleText(root), null, null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
