using System.Globalization;
using System.Text;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Cli;

/// <summary>`supervisor status` for people: a header and a table, like `pm2 ls`.</summary>
internal static class StatusPrinter
{
    private static readonly string[] Headings = ["ID", "PID", "USER", "STATE", "UPTIME", "RESTARTS", "RESTARTS 1H", "LAST EXIT", "MEMORY", "CPU", "IN FLIGHT", "SERVED"];

    // With a shared socket no request passes through the supervisor: the client connections each worker holds instead.
    private static readonly string[] SharedSocketHeadings = ["ID", "PID", "USER", "STATE", "UPTIME", "RESTARTS", "RESTARTS 1H", "LAST EXIT", "MEMORY", "CPU", "CONNECTIONS"];

    public static string Format(StatusReport report)
    {
        var s = report.Supervisor;
        var text = new StringBuilder();
        var shared = s.FrontEndMode == "sharedSocket";
        var listening = shared ? $"workers accepting on {s.Listen} (shared socket)" : $"listening on {s.Listen}";
        text.AppendLine(CultureInfo.InvariantCulture, $"supervisor pid {s.Pid} ({s.Phase}), version {s.Version}, up {HumanDuration.Format(TimeSpan.FromSeconds(s.UptimeSeconds))}, {listening}{(s.Sockets == "systemd" ? " (sockets from systemd)" : string.Empty)}");
        if (s.Previous is { } previous)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"upgraded from pid {previous.Pid} (version {previous.Version}) {HumanDuration.Format(TimeSpan.FromSeconds(s.UptimeSeconds))} ago, upgrade #{s.Upgrades}; workers were replaced by this supervisor's own, not adopted");
        }
        // One app (the short form) has no line of its own: its queue is on the config's line.
        var onlyQueue = report.Apps is [{ Name: Shared.Configuration.AppConfig.DefaultName } single] ? Queued(single) : string.Empty;
        text.AppendLine(CultureInfo.InvariantCulture, $"config {s.ConfigFile} (generation {s.Generation}), {s.WorkersWanted} worker(s) wanted{onlyQueue}{(s.Operation is null ? string.Empty : $"; {s.Operation}")}");
        foreach (var certificate in s.Certificates ?? [])
        {
            var left = certificate.NotAfter - DateTimeOffset.UtcNow;
            text.AppendLine(CultureInfo.InvariantCulture, $"tls {string.Join(", ", certificate.Names)}: serial {certificate.SerialNumber}, expires {certificate.NotAfter.UtcDateTime:yyyy-MM-dd HH:mm} UTC (in {HumanDuration.Format(left < TimeSpan.Zero ? TimeSpan.Zero : left)}){(left < Shared.Tls.LoadedCertificate.ExpiryWarning ? " RENEW IT" : string.Empty)}");
        }

        if (s.LastReload is { } reload)
        {
            var how = reload.Result switch { "committed" => "committed", "rolledBack" => "ROLLED BACK", "refused" => "refused", _ => "failed" };
            text.AppendLine(CultureInfo.InvariantCulture, $"last reload ({reload.Origin}): {how} {HumanDuration.Format(DateTimeOffset.UtcNow - reload.At)} ago, generation {reload.Generation}: {reload.Detail}");
        }

        if (s.LastUpgrade is { } upgrade)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"last upgrade ({upgrade.Origin}): {upgrade.Result.ToUpperInvariant()} {HumanDuration.Format(DateTimeOffset.UtcNow - upgrade.At)} ago: {upgrade.Detail}");
        }

        text.AppendLine();

        if (report.Apps is [{ Name: Shared.Configuration.AppConfig.DefaultName }] or [])
        {
            // One app, the short form: the table as it always was, after the pool's line when its workers are a range.
            if (report.Apps is [{ Pool: not null } ranged])
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"pool: {Load(ranged)}{Held(ranged)}");
                text.AppendLine();
            }

            AppendWorkers(text, report.Workers, shared);
            return text.ToString().TrimEnd();
        }

        foreach (var app in report.Apps)
        {
            var reloaded = app.LastReload is { } last ? $", last reload {last.Result} {HumanDuration.Format(DateTimeOffset.UtcNow - last.At)} ago" : string.Empty;
            var phase = app.Phase == "serving" ? string.Empty : $" ({app.Phase})";
            text.AppendLine(CultureInfo.InvariantCulture, $"app {app.Name}{phase}: {app.Routes}; {Load(app)}{Queued(app)}, {app.Restarts} restart(s), generation {app.Generation}{reloaded}{(app.Operation is null ? string.Empty : $"; {app.Operation}")}{Held(app)}");
            AppendWorkers(text, [.. report.Workers.Where(w => w.App == app.Name)], app.FrontEndMode == "sharedSocket", indent: "  ");
            text.AppendLine();
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// An app's workers and load, for status and top: "2/1-4 ready (3 wanted), 1 idle, 3 in flight" for a range
    /// (ready of min-max), "2/2 ready, 0 idle, 5 in flight" for a fixed count; connections with a shared socket.
    /// </summary>
    public static string Load(AppStatusReport app)
    {
        var ready = app.Pool is { } pool
            ? $"{app.WorkersReady}/{pool.Min}-{pool.Max} ready ({app.WorkersWanted} wanted{(pool.ScaledTo is { } fixedCount ? $", fixed at {fixedCount} by scale until the next reload" : string.Empty)})"
            : $"{app.WorkersReady}/{app.WorkersWanted} ready";
        var busy = app.Connections is { } connections ? $"{connections} connection(s)" : $"{app.RequestsInFlight ?? 0} in flight";
        return $"{ready}, {app.WorkersIdle} idle, {busy}";
    }

    private static string Held(AppStatusReport app) => app.Pool?.Held is { } held ? $"; HELD BACK: {held}" : string.Empty;

    private static void AppendWorkers(StringBuilder text, IReadOnlyList<WorkerStatus> workers, bool shared, string indent = "")
    {
        var headings = shared ? SharedSocketHeadings : Headings;
        var rows = workers.Select(w => (string[])
        [
            w.Id.ToString(CultureInfo.InvariantCulture),
            w.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            w.User ?? "-",
            w.State + (w.Retiring ? " (retiring)" : string.Empty),
            Uptime(w),
            w.Restarts.ToString(CultureInfo.InvariantCulture),
            w.RestartsLastHour.ToString(CultureInfo.InvariantCulture),
            LastExit(w.LastExit, DateTimeOffset.UtcNow),
            Memory(w),
            Cpu(w),
            .. (shared
                ? new[] { w.Connections?.ToString(CultureInfo.InvariantCulture) ?? "-" }
                : [w.RequestsInFlight.ToString(CultureInfo.InvariantCulture), w.RequestsServed.ToString(CultureInfo.InvariantCulture)]),
        ]).ToList();
        AppendTable(text, headings, rows, indent);
    }

    /// <summary>Columns padded to their widest cell, two spaces apart, as `ps` and `pm2 ls` print them.</summary>
    public static void AppendTable(StringBuilder text, IReadOnlyList<string> headings, IReadOnlyList<string[]> rows, string indent = "")
    {
        var widths = headings.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(headings.ToArray()))
        {
            text.Append(indent).AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>", 3 queued": the requests waiting in the app's queue; nothing with a shared socket, which holds none back.</summary>
    public static string Queued(AppStatusReport app) => app.Queued is { } queued ? string.Create(CultureInfo.InvariantCulture, $", {queued} queued") : string.Empty;

    public static string Uptime(WorkerStatus worker) => worker.UptimeSeconds is { } up ? HumanDuration.Format(TimeSpan.FromSeconds(up)) : "-";

    public static string Memory(WorkerStatus worker) => worker.MemoryBytes is { } bytes ? $"{bytes / 1048576.0:0.0} MB" : "-";

    public static string Cpu(WorkerStatus worker) => worker.CpuPercent is { } cpu ? $"{cpu:0.0}%" : "-";

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
