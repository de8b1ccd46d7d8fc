using System.Reflection;
using System.Runtime.InteropServices;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.SharedSocket;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Operations;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Control;

/// <summary>
/// Builds the status report: the worker table from the control loop, traffic from the front end, and memory and CPU
/// from /proc, read here rather than in the loop. CPU % is measured over a short window, like top.
/// </summary>
/// <param name="frontEnds">Each app's front end: its workers' requests, and the socket they accept from, if any.</param>
/// <param name="counters">The proxies' request counters; null when no app is behind a proxy, where no request passes through the supervisor.</param>
/// <param name="tls">The certificates the https:// listeners serve; null without any.</param>
internal sealed partial class StatusCollector(ControlLoop loop, IFrontEnds frontEnds, FrontEndCounters? counters, TimeProvider time, DateTimeOffset startedAt, TlsCertificateStore? tls = null)
{
    private static readonly TimeSpan CpuWindow = TimeSpan.FromMilliseconds(250);
    private static readonly string Version = Hosting.SupervisorVersion.Current;
    private static readonly long ClockTicksPerSecond = SysConf(2 /* _SC_CLK_TCK */);
    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    /// <summary>The upgrades that led to this process, and where its sockets came from.</summary>
    public SupervisorLineage Lineage { get; init; } = SupervisorLineage.FirstStart;

    /// <param name="measureCpu">false for metrics scrapes: no 250 ms window, <c>cpuPercent</c> null.</param>
    public async Task<StatusReport> CollectAsync(CancellationToken cancellationToken, bool measureCpu = true) =>
        await ReportAsync(await LoopStatusAsync(cancellationToken), measureCpu, cancellationToken);

    /// <summary>One slot of an app (the only one when null) with its last exits; null when there is no such app or slot.</summary>
    public async Task<WorkerDetailReport?> CollectWorkerAsync(string? app, int id, CancellationToken cancellationToken)
    {
        var status = await LoopStatusAsync(cancellationToken);
        if (AppOf(status, app) is not { } group || group.Workers.Where(w => w.Id == id).ToList() is not { Count: > 0 } slot)
        {
            return null;
        }

        var report = await ReportAsync(status with { Apps = [group with { Workers = slot }] }, measureCpu: true, cancellationToken);
        var holder = slot.FirstOrDefault(w => !w.Retiring) ?? slot[0];
        return new WorkerDetailReport(
            id,
            holder.Restarts,
            holder.RestartsLastHour,
            report.Workers,
            holder.Exits.Select(exit => new ExitStatus(
                exit.At,
                exit.Pid,
                exit.Description,
                exit.ExitCode,
                exit.Signal,
                exit.Uptime is { } uptime ? Math.Round(uptime.TotalSeconds, 3) : null,
                exit.Then is { } then ? new ExitThen(CamelCase(then.Action.ToString()), then.Description, then.RestartDelay?.TotalSeconds is { } delay ? Math.Round(delay, 3) : null) : null,
                exit.LastOutput)).ToList());
    }

    /// <summary>The apps there are, each with its worker ids, for a helpful answer to an unknown one.</summary>
    public async Task<IReadOnlyList<(string App, IReadOnlyList<int> Ids)>> WorkerIdsAsync(CancellationToken cancellationToken) =>
        [.. (await LoopStatusAsync(cancellationToken)).Apps.Select(a => (a.Name, (IReadOnlyList<int>)[.. a.Workers.Select(w => w.Id).Distinct().Order()]))];

    /// <summary>The app named, or without a name the only one; null when there is no such app (or several and none named).</summary>
    private static AppStatus? AppOf(LoopStatus status, string? app) =>
        app is null ? (status.Apps.Count == 1 ? status.Apps[0] : null) : status.Apps.FirstOrDefault(a => a.Name == app);

    private async Task<LoopStatus> LoopStatusAsync(CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<LoopStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new StatusRequested(reply));
        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }

    private async Task<StatusReport> ReportAsync(LoopStatus status, bool measureCpu, CancellationToken cancellationToken)
    {
        var pids = status.Workers.Where(w => w.Pid is not null).Select(w => w.Pid!.Value).ToList();
        var parents = ProcStat.ParentsOfAll();
        var families = pids.ToDictionary(pid => pid, pid => ProcStat.Family(pid, parents));
        Dictionary<int, long>? before = null, after = null;
        if (measureCpu)
        {
            before = families.ToDictionary(f => f.Key, f => CpuTicks(f.Value));
            await Task.Delay(CpuWindow, time, cancellationToken);
            after = families.ToDictionary(f => f.Key, f => CpuTicks(f.Value));
        }

        // Client connections are counted where workers accept from a socket themselves (the kernel balances them).
        // /proc/net/tcp{,6} read once for every such app: the kernel formats a line per socket for each read.
        var connected = new Dictionary<int, long>();
        var counted = new HashSet<string>(StringComparer.Ordinal);
        List<TcpSocketRow>? rows = null;
        foreach (var app in status.Apps)
        {
            if (frontEnds.For(app.Config).WorkerSocket is { } socket)
            {
                counted.Add(app.Name);
                rows ??= [.. ProcNetTcp.Rows()];
                var appFamilies = families.Where(f => app.Workers.Any(w => w.Pid == f.Key)).ToDictionary(f => f.Key, f => f.Value);
                foreach (var (pid, count) in new ConnectionCounter(() => socket.Port).Count(appFamilies, rows))
                {
                    connected[pid] = count;
                }
            }
        }

        var now = time.GetUtcNow();
        var workers = status.Apps.SelectMany(app => app.Workers.Select(w =>
        {
            var frontEnd = frontEnds.For(app.Config);
            var endpoint = new WorkerEndpoint(app.Name, w.Id, w.Pid ?? 0, w.Port);
            double? cpu = before is not null && after is not null && w.Pid is int pid ? Math.Round((after[pid] - before[pid]) * 100.0 / ClockTicksPerSecond / CpuWindow.TotalSeconds, 1) : null;
            return new WorkerStatus(
                w.Id,
                w.Pid,
                w.Pid is null ? null : w.Port,
                CamelCase(w.State.ToString()),
                w.Retiring,
                w.StartedAt,
                w.StartedAt is { } started ? Math.Round((now - started).TotalSeconds, 3) : null,
                w.Restarts,
                w.LastExit is { } exit ? new LastExitStatus(exit.Description, exit.ExitCode, exit.Signal, exit.At) : null,
                w.Pid is int memoryPid ? ProcProcessMemory.ResidentBytes(memoryPid, parents) : null,
                cpu,
                w.Pid is null ? 0 : frontEnd.InFlight(endpoint),
                w.Pid is null ? 0 : frontEnd.Served(endpoint))
            {
                App = app.Name,
                Connections = !counted.Contains(app.Name) ? null : w.Pid is int connectedPid ? connected.GetValueOrDefault(connectedPid) : 0,
                NotifyStatus = w.NotifiedStatus,
                RestartsLastHour = w.RestartsLastHour,
                User = w.User,
            };
        })).ToList();

        var apps = status.Apps.Select(app => new AppStatusReport(
            app.Name,
            app.Config.RoutesDescription,
            app.Config.Hosts,
            app.Config.Paths,
            app.Config.HasOwnListeners ? app.Config.FrontEnd == FrontEndMode.SharedSocket ? "sharedSocket" : "proxy" : status.Config.FrontEnd == FrontEndMode.SharedSocket ? "sharedSocket" : "proxy",
            app.Phase == GroupPhase.Serving ? "serving" : "leaving",
            app.Generation,
            app.WorkersWanted,
            app.Workers.Count(w => w.State == WorkerState.Ready && !w.Retiring),
            app.Workers.Where(w => !w.Retiring).Sum(w => w.Restarts),
            app.Operation)
        {
            Listen = app.Config.HasOwnListeners ? string.Join(", ", app.Config.Listeners) : null,
            LastReload = app.LastReload is { } appReload ? new LastReloadStatus(ReloadResultName(appReload.Result), appReload.Origin, appReload.Generation, appReload.Detail, appReload.At) : null,
            Pool = app.Config.Workers.Range is { } range
                ? new PoolStatus(range.Min, range.Max.Count, range.Spare, range.IdleTimeout.TotalSeconds) { ScaledTo = app.ScaledOverRange, Held = app.Held }
                : null,
            WorkersIdle = workers.Count(w => w.App == app.Name && w.State == "ready" && !w.Retiring && (counted.Contains(app.Name) ? w.Connections : w.RequestsInFlight) == 0),
            RequestsInFlight = counted.Contains(app.Name) ? null : workers.Where(w => w.App == app.Name).Sum(w => w.RequestsInFlight),
            Connections = counted.Contains(app.Name) ? workers.Where(w => w.App == app.Name).Sum(w => w.Connections ?? 0) : null,
            ScaleEvents = app.Config.Workers.IsRanged ? [.. app.ScaleEvents.OrderBy(e => e.Key.Direction, StringComparer.Ordinal).ThenBy(e => e.Key.Why, StringComparer.Ordinal).Select(e => new ScaleEventCount(e.Key.Direction, e.Key.Why, e.Value))] : null,
            Queued = counted.Contains(app.Name) ? null : frontEnds.For(app.Config).RequestsWaiting(app.Name),
        }).ToList();

        var supervisor = new SupervisorStatus(
            Environment.ProcessId,
            Version,
            startedAt,
            Math.Round((now - startedAt).TotalSeconds, 3),
            status.Phase switch { SupervisorPhase.Running => "running", SupervisorPhase.Draining => "draining", _ => "stopping" },
            status.Config.ListenDescription,
            status.Config.ConfigFile,
            status.Config.Control.Socket,
            status.Generation,
            status.WorkersWanted,
            status.Operation,
            [.. status.Config.Listeners.Select(l => new ListenerStatus(l.Url, l.Http2))],
            [.. (tls?.Current.Certificates ?? []).Select(c => new CertificateStatus(c.Loaded.Names, c.Loaded.Subject, c.Loaded.SerialNumber, c.Loaded.NotAfter, c.Loaded.Files.Certificate))])
        {
            FrontEndMode = status.Config.FrontEnd == FrontEndMode.SharedSocket ? "sharedSocket" : "proxy",
            LastReload = status.LastReload is { } last ? new LastReloadStatus(ReloadResultName(last.Result), last.Origin, last.Generation, last.Detail, last.At) : null,
            Reloads = Enum.GetValues<ReloadResult>().ToDictionary(ReloadResultName, result => status.Reloads.GetValueOrDefault(result)),
            Upgrades = Lineage.Upgrades,
            Previous = Lineage.PreviousPid is int previousPid ? new PreviousSupervisorStatus(previousPid, Lineage.PreviousVersion ?? "unknown") : null,
            Sockets = Lineage.Sockets switch { Hosting.Listening.SocketOrigin.Systemd => "systemd", Hosting.Listening.SocketOrigin.Predecessor => "previous", _ => "bound" },
            LastUpgrade = status.LastUpgrade is { } upgrade ? new LastUpgradeStatus(upgrade.Result, upgrade.Origin, upgrade.Detail, upgrade.At) : null,
        };
        return new StatusReport(supervisor, workers) { Apps = apps, FrontEnd = counters is null ? null : Traffic(counters) };
    }

    private static FrontEndTraffic Traffic(FrontEndCounters counters)
    {
        var latency = counters.Latency();
        return new FrontEndTraffic(
            StatusClasses.Select((name, i) => (name, count: counters.AnsweredWith(i + 1))).ToDictionary(c => c.name, c => c.count),
            counters.Retries,
            new LatencyBuckets(latency.UpperBounds, latency.CumulativeCounts));
    }

    /// <summary>As status and the metrics name them: "committed", "rolledBack", "refused", "failed".</summary>
    public static string ReloadResultName(ReloadResult result) => CamelCase(result.ToString());

    private static long CpuTicks(IEnumerable<int> family) => family.Sum(pid => ProcStat.Read(pid)?.CpuTicks ?? 0);

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
