using System.Globalization;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// Resident memory from /proc/PID/statm, of the worker and all its descendants: a wrapper script's RSS alone would say
/// nothing about the server it started.
/// </summary>
internal sealed class ProcProcessMemory : IProcessMemory
{
    public long? ResidentBytes(int pid)
    {
        if (Resident(pid) is not long own)
        {
            return null;
        }

        var parents = ProcStat.ParentsOfAll();
        var total = own;
        var family = new HashSet<int> { pid };
        // Parents may be listed after their children, so repeat until no new descendant is found (depth is small).
        for (var added = true; added;)
        {
            added = false;
            foreach (var (child, parent) in parents)
            {
                if (family.Contains(parent) && family.Add(child))
                {
                    total += Resident(child) ?? 0;
                    added = true;
                }
            }
        }

        return total;
    }

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
