using System.Diagnostics;
using Cluster.Contract;
using Cluster.Supervisor.FileSafety;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Processes;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Hosting.PidFiles;

/// <summary>
/// Before starting: what a previous supervisor with this config left. If it is still running, we must not start a
/// second one. If it died but some of its workers live on, they are stopped (worker.stopSignal, then SIGKILL) first: they would
/// otherwise keep ports, files and memory with nobody supervising them.
/// </summary>
internal static partial class PreviousInstance
{
    /// <summary>Returns the PID of a supervisor still running with this pid file, or null after clearing any leftovers.</summary>
    /// <remarks>
    /// Nothing read here is taken on trust: the pid file only when it is the supervisor's user's own (its folder was
    /// checked before, <see cref="RunTimeFolders"/>), and a process it lists only when the process proves to be one of
    /// ours. A recorded supervisor counts as running only if that process (same PID, same start time) is of the
    /// supervisor's user. A recorded worker, or a member of its process group, is stopped only if it started no earlier
    /// than the recorded supervisor and carries SUPERVISOR_PID=that supervisor's PID in its environment, which the
    /// supervisor gives every worker and which its children inherit: a PID and start time copied from any process's
    /// /proc entry are not enough.
    /// </remarks>
    public static async Task<int?> CheckAsync(string pidFilePath, TimeSpan stopTimeout, int stopSignal, ILogger logger)
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
        var leftovers = previous.Workers.Where(w => PidFile.IsSameProcess(w.Pid, w.StartTime) && IsOurs(w.Pid, marker, previous.Supervisor.StartTime)).Select(w => w.Pid)
            .Union(GroupMembers(groups, marker, previous.Supervisor.StartTime))
            .ToList();
        if (leftovers.Count == 0)
        {
            return null;
        }

        LeftoversFound(logger, leftovers.Count, previous.Supervisor.Pid, string.Join(", ", leftovers.Select(pid => Describe(previous, pid))), PosixSignals.Name(stopSignal), HumanDuration.Format(stopTimeout));
        Signal(leftovers, stopSignal);

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < stopTimeout && leftovers.Any(IsAlive))
        {
            await Task.Delay(50);
        }

        var stubborn = leftovers.Where(IsAlive).ToList();
        Signal(stubborn, PosixSignals.SIGKILL);
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

    private static IEnumerable<int> GroupMembers(HashSet<int> groups, string marker, long supervisorStartTime) =>
        ProcStat.ParentsOfAll().Keys.Where(pid =>
            ProcStat.Read(pid) is { IsAlive: true } stat && groups.Contains(stat.ProcessGroup) && IsOurs(pid, marker, supervisorStartTime));

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

    private static string Describe(PidFileContent previous, int pid) =>
        previous.Workers.FirstOrDefault(w => w.Pid == pid) is { } worker ? $"worker {worker.Id} pid {pid}" : $"pid {pid} (child of a worker)";

    private static void Signal(IEnumerable<int> pids, int signal)
    {
        foreach (var pid in pids)
        {
            PosixSignals.Send(pid, signal);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "found {Count} process(es) of a previous supervisor (pid {SupervisorPid}, no longer running) still running: {Workers}; stopping them ({StopSignal}, SIGKILL after {StopTimeout})")]
    private static partial void LeftoversFound(ILogger logger, int count, int supervisorPid, string workers, string stopSignal, string stopTimeout);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "ignoring the pid file {PidFile}: {Reason}; no process it names is stopped, and it is replaced")]
    private static partial void Distrusted(ILogger logger, string pidFile, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "stopped {Count} leftover process(es) of the previous supervisor; {Killed} needed SIGKILL")]
    private static partial void LeftoversStopped(ILogger logger, int count, int killed);
}
