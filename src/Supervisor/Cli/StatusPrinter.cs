using System.Globalization;
using System.Text;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Cli;

/// <summary>`supervisor status` for people: a header and a table, like `pm2 ls`.</summary>
internal static class StatusPrinter
{
    private static readonly string[] Headings = ["ID", "PID", "STATE", "UPTIME", "RESTARTS", "LAST EXIT", "MEMORY", "CPU", "IN FLIGHT", "SERVED"];

    // With a shared socket no request passes through the supervisor: the client connections each worker holds instead.
    private static readonly string[] SharedSocketHeadings = ["ID", "PID", "STATE", "UPTIME", "RESTARTS", "LAST EXIT", "MEMORY", "CPU", "CONNECTIONS"];

    public static string Format(StatusReport report)
    {
        var s = report.Supervisor;
        var text = new StringBuilder();
        var shared = s.FrontEnd == "sharedSocket";
        var listening = shared ? $"workers accepting on {s.Listen} (shared socket)" : $"listening on {s.Listen}";
        text.AppendLine(CultureInfo.InvariantCulture, $"supervisor pid {s.Pid} ({s.Phase}), up {HumanDuration.Format(TimeSpan.FromSeconds(s.UptimeSeconds))}, {listening}");
        text.AppendLine(CultureInfo.InvariantCulture, $"config {s.ConfigFile} (generation {s.Generation}), {s.WorkersWanted} worker(s) wanted{(s.Operation is null ? string.Empty : $"; {s.Operation}")}");
        if (s.LastReload is { } reload)
        {
            var how = reload.Result switch { "committed" => "committed", "rolledBack" => "ROLLED BACK", "refused" => "refused", _ => "failed" };
            text.AppendLine(CultureInfo.InvariantCulture, $"last reload ({reload.Origin}): {how} {HumanDuration.Format(DateTimeOffset.UtcNow - reload.At)} ago, generation {reload.Generation}: {reload.Detail}");
        }
        text.AppendLine();

        var headings = shared ? SharedSocketHeadings : Headings;
        var rows = report.Workers.Select(w => (string[])
        [
            w.Id.ToString(CultureInfo.InvariantCulture),
            w.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            w.State + (w.Retiring ? " (retiring)" : string.Empty),
            w.UptimeSeconds is { } up ? HumanDuration.Format(TimeSpan.FromSeconds(up)) : "-",
            w.Restarts.ToString(CultureInfo.InvariantCulture),
            LastExit(w.LastExit, DateTimeOffset.UtcNow),
            w.MemoryBytes is { } bytes ? $"{bytes / 1048576.0:0.0} MB" : "-",
            w.CpuPercent is { } cpu ? $"{cpu:0.0}%" : "-",
            .. (shared
                ? new[] { w.Connections?.ToString(CultureInfo.InvariantCulture) ?? "-" }
                : [w.RequestsInFlight.ToString(CultureInfo.InvariantCulture), w.RequestsServed.ToString(CultureInfo.InvariantCulture)]),
        ]).ToList();
        var widths = headings.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(headings))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString().TrimEnd();
    }

    private static string LastExit(LastExitStatus? exit, DateTimeOffset now)
    {
        if (exit is null)
        {
            return "-";
        }

        var how = exit.Signal ?? (exit.ExitCode is int code ? $"code {code}" : "failed");
        return $"{how}, {HumanDuration.Format(now - exit.At)} ago";
    }
}
