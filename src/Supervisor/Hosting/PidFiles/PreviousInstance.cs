using System.Diagnostics;
using Cluster.Contract;
using Cluster.Supervisor.FileSafety;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Processes;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Hosting.PidFiles;

/// <summary>
/// Before starting: what a previous supervisor with this config left. If it is still running, we must not start a
/// second one. If it died but some of its workers live on, they are stopped (each with its app's worker.stopSignal, see
/// <see cref="LeftoverSignals"/>, then SIGKILL) first: they would otherwise keep ports, files and memory with nobody
/// supervising them.
/// </summary>
internal static partial class PreviousInstance
{
    /// <summary>Returns the PID of a supervisor still running with this pid file, or null after clearing any leftovers.</summary>
    /// <param name="stopTimeout">How long the leftovers get to stop before SIGKILL (the longest worker.stopTimeout).</param>
    /// <param name="apps">The apps of the config now starting: their worker.stopSignal is what their leftovers are sent.</param>
    /// <remarks>
    /// Nothing read here is taken on trust: the pid file only when it is the supervisor's user's own (its folder was
    /// checked before, <see cref="RunTimeFolders"/>), and a process it lists only when the process proves to be one of
    /// ours. A recorded supervisor counts as running only if that process (same PID, same start time) is of the
    /// supervisor's user. A recorded worker, or a member of its process group, is stopped only if it started no earlier
    /// than the recorded supervisor and carries SUPERVISOR_PID=that supervisor's PID in its environment, which the
    /// supervisor gives every worker and which its children inherit: a PID and start time copied from any process's
    /// /proc entry are not enough.
    /// </remarks>
    public static async Task<int?> CheckAsync(string pidFilePath, TimeSpan stopTimeout, IReadOnlyList<Cluster.Shared.Configuration.AppConfig> apps, ILogger logger)
    {
        var (previous, distrust) = PidFile.Read(pidFilePath);
        if (distrust is not null)
        {
            Distrusted(logger, pidFilePath, distrust);
            return null;
        }

        if (previous is null)
        {
            return null;
        }

        if (previous.Supervisor.Pid != Environment.ProcessId && PidFile.IsSameProcess(previous.Supervisor.Pid, previous.Supervisor.StartTime)
            && ProcessOwner(previous.Supervisor.Pid) == Users.Current)
        {
            return previous.Supervisor.Pid;
        }

        // A worker leads its own process group, and its children stay in it when orphaned. A group ID can be reused
        // once the group is empty, so a member counts as ours only if it also inherited the old supervisor's PID.
        var groups = previous.Workers.Select(w => w.Pid).ToHashSet();
        var marker = $"{WorkerEnvironment.SupervisorPid}={previous.Supervisor.Pid}";
        var found = previous.Workers.Where(w => PidFile.IsSameProcess(w.Pid, w.StartTime) && IsOurs(w.Pid, marker, previous.Supervisor.StartTime)).Select(w => (w.Pid, Group: w.Pid))
            .Union(GroupMembers(groups, marker, previous.Supervisor.StartTime))
            .DistinctBy(p => p.Pid)
            .ToList();
        if (found.Count == 0)
        {
            return null;
        }

        var leftovers = LeftoverSignals.Plan(previous, found, apps);
        LeftoversFound(logger, leftovers.Count, previous.Supervisor.Pid, string.Join(", ", leftovers.Select(l => l.Description)), HumanDuration.Format(stopTimeout));
        foreach (var leftover in leftovers)
        {
            PosixSignals.Send(leftover.Pid, (int)leftover.Signal);
        }

        var pids = leftovers.Select(l => l.Pid).ToList();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < stopTimeout && pids.Any(IsAlive))
        {
            await Task.Delay(50);
        }

        var stubborn = pids.Where(IsAlive).ToList();
        foreach (var pid in stubborn)
        {
            PosixSignals.Send(pid, PosixSignals.SIGKILL);
        }

        LeftoversStopped(logger, leftovers.Count, stubborn.Count);
        return null;
    }

    /// <summary>Started with or after the recorded supervisor, and given its PID as SUPERVISOR_PID.</summary>
    private static bool IsOurs(int pid, string marker, long supervisorStartTime) =>
        ProcStat.Read(pid) is { IsAlive: true } stat && stat.StartTime >= supervisorStartTime && HasEnvironment(pid, marker);

    /// <summary>The effective UID of a process (the second "Uid:" field of /proc/PID/status); null once it is gone.</summary>
    private static uint? ProcessOwner(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return line?.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, _, var effective, ..] ? uint.Parse(effective, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<(int Pid, int Group)> GroupMembers(HashSet<int> groups, string marker, long supervisorStartTime) =>
        ProcStat.ParentsOfAll().Keys
            .Select(pid => (Pid: pid, Stat: ProcStat.Read(pid)))
            .Where(p => p.Stat is { IsAlive: true } stat && groups.Contains(stat.ProcessGroup) && IsOurs(p.Pid, marker, supervisorStartTime))
            .Select(p => (p.Pid, p.Stat!.ProcessGroup));

    private static bool HasEnvironment(int pid, string entry)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains(entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsAlive(int pid) => ProcStat.Read(pid) is { IsAlive: true };

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "found {Count} process(es) of a previous supervisor (pid {SupervisorPid}, no longer running) still running: {Workers}; stopping them (each with the signal shown, its app's worker.stopSignal; SIGKILL after {StopTimeout})")]
    private static partial void LeftoversFound(ILogger logger, int count, int supervisorPid, string workers, string stopTimeout);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "ignoring the pid file {PidFile}: {Reason}; no process it names is stopped, and it is replaced")]
    private static partial void Distrusted(ILogger logger, string pidFile, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "stopped {Count} leftover process(es) of the previous supervisor; {Killed} needed SIGKILL")]
    private static partial void LeftoversStopped(ILogger logger, int count, int killed);
}
