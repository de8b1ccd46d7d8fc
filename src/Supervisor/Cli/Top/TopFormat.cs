using System.Globalization;
using Cluster.Supervisor.Control;
using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Cli.Top;

/// <summary>The words and numbers of `supervisor top`, shared by the live screen and the plain snapshot.</summary>
internal static class TopFormat
{
    public static readonly string[] Headings = ["ID", "PID", "USER", "STATE", "UPTIME", "RESTARTS", "RESTARTS 1H", "CPU", "MEMORY", "IN FLIGHT", "REQ/S"];

    /// <summary>The column of the state, which the live screen colours by state.</summary>
    public static readonly int StateColumn = Array.IndexOf(Headings, "STATE");

    public static string Supervisor(StatusReport report)
    {
        var s = report.Supervisor;
        var ready = report.Workers.Count(w => w.State == "ready" && !w.Retiring);
        var operation = s.Operation is null ? string.Empty : $"; {s.Operation}";
        return $"supervisor pid {s.Pid} ({s.Phase}), up {HumanDuration.Format(TimeSpan.FromSeconds(s.UptimeSeconds))}, generation {s.Generation}, {ready} of {s.WorkersWanted} worker(s) ready, listening on {s.Listen}{operation}";
    }

    /// <summary>One line per app: its workers ready (of its range), idle, in flight, and the requests queued (proxy).</summary>
    public static IReadOnlyList<string> Apps(StatusReport report) =>
        [.. report.Apps.Select(app => $"app {app.Name}: {StatusPrinter.Load(app)}{StatusPrinter.Queued(app)}")];

    public static string Traffic(TrafficRates? rates) => rates is null
        ? "front end: measuring (rates need two samples)..."
        : string.Create(
            CultureInfo.InvariantCulture,
            $"front end: {rates.Requests:0.0} requests/s   2xx {rates.Ok:0.0}/s   4xx {rates.ClientErrors:0.0}/s   5xx {rates.ServerErrors:0.0}/s   retries {rates.Retries:0.0}/s   p99 {Latency(rates.P99Seconds)}   (last {rates.IntervalSeconds:0.0}s)");

    /// <summary>One worker's row; the rows come app by app (the status order), each id as "app/id" with several apps.</summary>
    public static string[] Row(WorkerStatus worker, TrafficRates? rates) =>
    [
        worker.App == Shared.Configuration.AppConfig.DefaultName ? worker.Id.ToString(CultureInfo.InvariantCulture) : $"{worker.App}/{worker.Id.ToString(CultureInfo.InvariantCulture)}",
        worker.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
        worker.User ?? "-",
        worker.State + (worker.Retiring ? " (retiring)" : string.Empty),
        StatusPrinter.Uptime(worker),
        worker.Restarts.ToString(CultureInfo.InvariantCulture),
        worker.RestartsLastHour.ToString(CultureInfo.InvariantCulture),
        StatusPrinter.Cpu(worker),
        StatusPrinter.Memory(worker),
        worker.RequestsInFlight.ToString(CultureInfo.InvariantCulture),
        worker.Pid is int pid && rates?.ByProcess.TryGetValue((worker.Id, pid), out var perSecond) == true ? perSecond.ToString("0.0", CultureInfo.InvariantCulture) : "-",
    ];

    /// <summary>Restarting, crash-looping, given up or out of rotation: the rows that should catch the eye.</summary>
    public static bool NeedsAttention(WorkerStatus worker) => worker.State is "backoff" or "crashLoop" or "failed" or "unhealthy" or "exited";

    private static string Latency(double? seconds) => seconds switch
    {
        null => "-",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0.0}ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00}s"),
    };
}
