using System.Reflection;
using System.Runtime.InteropServices;
using Cluster.Shared.Configuration;
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
/// <param name="connections">With a shared socket, counts each worker's client connections; null with the proxy.</param>
internal sealed partial class StatusCollector(ControlLoop loop, IFrontEnd frontEnd, TimeProvider time, DateTimeOffset startedAt, ConnectionCounter? connections = null)
{
    private static readonly TimeSpan CpuWindow = TimeSpan.FromMilliseconds(250);
    private static readonly string Version = typeof(StatusCollector).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
    private static readonly long ClockTicksPerSecond = SysConf(2 /* _SC_CLK_TCK */);

    /// <param name="measureCpu">false for metrics scrapes: no 250 ms window, <c>cpuPercent</c> null.</param>
    public async Task<StatusReport> CollectAsync(CancellationToken cancellationToken, bool measureCpu = true)
    {
        var reply = new TaskCompletionSource<LoopStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new StatusRequested(reply));
        var status = await reply.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);

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

        var connected = connections?.Count(families);
        var now = time.GetUtcNow();
        var workers = status.Workers.Select(w =>
        {
            var endpoint = new WorkerEndpoint(w.Id, w.Pid ?? 0, w.Port);
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
                Connections = connected is null ? null : w.Pid is int connectedPid ? connected.GetValueOrDefault(connectedPid) : 0,
                NotifyStatus = w.NotifiedStatus,
            };
        }).ToList();

        var supervisor = new SupervisorStatus(
            Environment.ProcessId,
            Version,
            startedAt,
            Math.Round((now - startedAt).TotalSeconds, 3),
            status.Phase switch { SupervisorPhase.Running => "running", SupervisorPhase.Draining => "draining", _ => "stopping" },
            status.Config.Listen.Url,
            status.Config.ConfigFile,
            status.Config.Control.Socket,
            status.Generation,
            status.WorkersWanted,
            status.Operation)
        {
            FrontEnd = status.Config.FrontEnd == FrontEndMode.SharedSocket ? "sharedSocket" : "proxy",
            LastReload = status.LastReload is { } last ? new LastReloadStatus(ReloadResultName(last.Result), last.Origin, last.Generation, last.Detail, last.At) : null,
            Reloads = Enum.GetValues<ReloadResult>().ToDictionary(ReloadResultName, result => status.Reloads.GetValueOrDefault(result)),
        };
        return new StatusReport(supervisor, workers);
    }

    /// <summary>As status and the metrics name them: "committed", "rolledBack", "refused", "failed".</summary>
    public static string ReloadResultName(ReloadResult result) => CamelCase(result.ToString());

    private static long CpuTicks(IEnumerable<int> family) => family.Sum(pid => ProcStat.Read(pid)?.CpuTicks ?? 0);

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
