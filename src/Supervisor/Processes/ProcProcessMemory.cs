using System.Globalization;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// Resident memory from /proc/PID/statm, of the worker and all its descendants: a wrapper script's RSS alone would say
/// nothing about the server it started.
/// </summary>
internal sealed class ProcProcessMemory : IProcessMemory
{
    public long? ResidentBytes(int pid) => ResidentBytes(pid, ProcStat.ParentsOfAll());

    public static long? ResidentBytes(int pid, IReadOnlyDictionary<int, int> parents) =>
        Resident(pid) is long own ? own + ProcStat.Family(pid, parents).Where(p => p != pid).Sum(p => Resident(p) ?? 0) : null;

    private static long? Resident(int pid)
    {
        try
        {
            var pages = File.ReadAllText($"/proc/{pid}/statm").Split(' ')[1];
            return long.Parse(pages, CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
