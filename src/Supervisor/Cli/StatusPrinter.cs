using System.Globalization;
using System.Text;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Cli;

/// <summary>`supervisor status` for people: a header and a table, like `pm2 ls`.</summary>
internal static class StatusPrinter
{
    private static readonly string[] Headings = ["ID", "PID", "STATE", "UPTIME", "RESTARTS", "LAST EXIT", "MEMORY", "CPU", "IN FLIGHT", "SERVED"];

    public static string Format(StatusReport report)
    {
        var s = report.Supervisor;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"supervisor pid {s.Pid} ({s.Phase}), up {HumanDuration.Format(TimeSpan.FromSeconds(s.UptimeSeconds))}, listening on {s.Listen}");
        text.AppendLine(CultureInfo.InvariantCulture, $"config {s.ConfigFile} (generation {s.Generation}), {s.WorkersWanted} worker(s) wanted{(s.Operation is null ? string.Empty : $"; {s.Operation}")}");
        foreach (var certificate in s.Certificates ?? [])
        {
            var left = certificate.NotAfter - DateTimeOffset.UtcNow;
            text.AppendLine(CultureInfo.InvariantCulture, $"tls {string.Join(", ", certificate.Names)}: serial {certificate.SerialNumber}, expires {certificate.NotAfter.UtcDateTime:yyyy-MM-dd HH:mm} UTC (in {HumanDuration.Format(left < TimeSpan.Zero ? TimeSpan.Zero : left)}){(left < Shared.Configuration.ConfigDefaults.CertificateExpiryWarning ? " RENEW IT" : string.Empty)}");
        }

        text.AppendLine();

        var rows = report.Workers.Select(w => new[]
        {
            w.Id.ToString(CultureInfo.InvariantCulture),
            w.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            w.State + (w.Retiring ? " (retiring)" : string.Empty),
            w.UptimeSeconds is { } up ? HumanDuration.Format(TimeSpan.FromSeconds(up)) : "-",
            w.Restarts.ToString(CultureInfo.InvariantCulture),
            LastExit(w.LastExit, DateTimeOffset.UtcNow),
            w.MemoryBytes is { } bytes ? $"{bytes / 1048576.0:0.0} MB" : "-",
            w.CpuPercent is { } cpu ? $"{cpu:0.0}%" : "-",
            w.RequestsInFlight.ToString(CultureInfo.InvariantCulture),
            w.RequestsServed.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        var widths = Headings.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(Headings))
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
