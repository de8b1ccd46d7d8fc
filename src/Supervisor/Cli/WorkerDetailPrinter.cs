using System.Globalization;
using System.Text;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Cli;

/// <summary>`supervisor status --worker ID` for people: the slot, its process(es), and its last exits, newest first.</summary>
internal static class WorkerDetailPrinter
{
    /// <summary>Output lines shown per exit; --json has all that were kept.</summary>
    public const int OutputLinesShown = 5;

    private static readonly string[] Headings = ["PID", "PORT", "STATE", "UPTIME", "MEMORY", "CPU", "IN FLIGHT", "SERVED"];

    public static string Format(WorkerDetailReport detail, DateTimeOffset now)
    {
        var text = new StringBuilder();
        var holder = detail.Processes.FirstOrDefault(p => !p.Retiring) ?? detail.Processes[0];
        text.AppendLine(CultureInfo.InvariantCulture, $"worker {detail.Id}: {holder.State}, {detail.Restarts} restart(s), {detail.RestartsLastHour} in the last hour");
        text.AppendLine();
        var rows = detail.Processes.Select(p => new[]
        {
            p.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            p.Port?.ToString(CultureInfo.InvariantCulture) ?? "-",
            p.State + (p.Retiring ? " (retiring)" : string.Empty),
            StatusPrinter.Uptime(p),
            StatusPrinter.Memory(p),
            StatusPrinter.Cpu(p),
            p.RequestsInFlight.ToString(CultureInfo.InvariantCulture),
            p.RequestsServed.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        StatusPrinter.AppendTable(text, Headings, rows);
        text.AppendLine();

        if (detail.Exits.Count == 0)
        {
            text.AppendLine("no exits yet");
            return text.ToString().TrimEnd();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"last {detail.Exits.Count} exit(s), newest first:");
        foreach (var exit in detail.Exits)
        {
            var pid = exit.Pid is int p ? $"pid {p}" : "no process";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {exit.At.ToLocalTime():yyyy-MM-dd HH:mm:ss} ({HumanDuration.Format(now - exit.At)} ago)  {pid}  {Signal(exit)}: {exit.Description}");
            text.AppendLine(CultureInfo.InvariantCulture, $"      then: {exit.Then?.Description ?? "-"}");
            if (exit.LastOutput.Count > 0)
            {
                var shown = exit.LastOutput.TakeLast(OutputLinesShown).ToList();
                var earlier = exit.LastOutput.Count - shown.Count;
                text.AppendLine(earlier > 0 ? $"      last output ({earlier} earlier line(s) with --json):" : "      last output:");
                foreach (var line in shown)
                {
                    text.Append("        ").AppendLine(line);
                }
            }
        }

        return text.ToString().TrimEnd();
    }

    private static string Signal(ExitStatus exit) => exit.Signal ?? (exit.ExitCode is int code ? $"exit code {code}" : "not run");
}
