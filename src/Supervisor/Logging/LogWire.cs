using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// The form of GET /v1/logs: one JSON object per line, each log line exactly as log.file's JSON format writes it
/// (<see cref="LogJsonFormatter"/>), and, when a follower's stream ends, a last <c>{"end": "stopped" | "dropped",
/// "message": ...}</c>. Rendered once per event, when it is logged, so serving the ring is copying bytes; the
/// console's text form is derived from it (<see cref="ConsoleText"/>) by whoever prints it.
/// </summary>
internal static class LogWire
{
    public const string ContentType = "application/x-ndjson; charset=utf-8";

    private static readonly LogJsonFormatter Json = new();

    private static readonly Dictionary<string, string> LevelAbbreviations = new(StringComparer.Ordinal)
    {
        [nameof(LogEventLevel.Verbose)] = "VRB",
        [nameof(LogEventLevel.Debug)] = "DBG",
        [nameof(LogEventLevel.Information)] = "INF",
        [nameof(LogEventLevel.Warning)] = "WRN",
        [nameof(LogEventLevel.Error)] = "ERR",
        [nameof(LogEventLevel.Fatal)] = "FTL",
    };

    public static RingLine Render(LogEvent logEvent)
    {
        using var json = new StringWriter(CultureInfo.InvariantCulture);
        Json.Format(logEvent, json);
        return new RingLine(WorkerIdOf(logEvent), IsWorkerOutput(logEvent), Encoding.UTF8.GetBytes(json.ToString()), AppOf(logEvent));
    }

    public static byte[] End(string reason, string message)
    {
        using var wire = new StringWriter(CultureInfo.InvariantCulture);
        wire.Write("{\"end\":");
        JsonValueFormatter.WriteQuotedJsonString(reason, wire);
        wire.Write(",\"message\":");
        JsonValueFormatter.WriteQuotedJsonString(message, wire);
        wire.Write("}\n");
        return Encoding.UTF8.GetBytes(wire.ToString());
    }

    /// <summary>
    /// The line the console printed for this event (SupervisorLogging.ConsoleTemplate): the timestamp in the
    /// supervisor's own time zone, the level in three letters, the message, and any exception on the lines after it.
    /// </summary>
    public static string ConsoleText(JsonElement logEvent)
    {
        var timestamp = DateTimeOffset.Parse(logEvent.GetProperty("Timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        var level = logEvent.GetProperty("Level").GetString()!;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{timestamp:yyyy-MM-dd HH:mm:ss.fff} [{LevelAbbreviations.GetValueOrDefault(level, level)}] {logEvent.GetProperty("RenderedMessage").GetString()}");
        return logEvent.TryGetProperty("Exception", out var exception) ? $"{text}\n{exception.GetString()}" : text;
    }

    private static int? WorkerIdOf(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("WorkerId", out var value) && value is ScalarValue { Value: int id } ? id : null;

    private static string? AppOf(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue(Workers.WorkerTransitions.AppProperty, out var value) && value is ScalarValue { Value: string app } ? app : null;

    /// <summary>A line a worker printed (WorkerLog.Output, on the "Cluster.Worker" logger) rather than the supervisor's own.</summary>
    private static bool IsWorkerOutput(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: SupervisorLogging.WorkerOutputCategory };
}
