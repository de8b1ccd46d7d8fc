using System.Globalization;

namespace Cluster.Supervisor.Processes;

/// <summary>What /proc/PID/stat says of a process: state, parent, process group and start time (in clock ticks since boot).</summary>
internal sealed record ProcStat(char State, int ParentPid, int ProcessGroup, long StartTime, long CpuTicks)
{
    public bool IsAlive => State is not ('Z' or 'X');

    public static ProcStat? Read(int pid) => ReadFile($"/proc/{pid}/stat");

    /// <summary>A process's /proc/PID/stat, or one thread's /proc/PID/task/TID/stat (the same fields); null once it is gone.</summary>
    private static ProcStat? ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may contain spaces; the fields after it are plain.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcStat(
            fields[0][0],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[2], CultureInfo.InvariantCulture),
            long.Parse(fields[19], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Every thread of the process is stopped by a signal ('T') or gone: it runs no code until SIGCONT. A process that
    /// has exited counts as stopped.
    /// </summary>
    public static bool AllThreadsStopped(int pid)
    {
        IEnumerable<string> threads;
        try
        {
            threads = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }

        return threads.All(thread => ReadFile(Path.Combine(thread, "stat"))?.State is null or 'T' or 'Z' or 'X');
    }

    /// <summary>The process and all its descendants, given every process's parent.</summary>
    public static HashSet<int> Family(int pid, IReadOnlyDictionary<int, int> parents)
    {
        var family = new HashSet<int> { pid };
        // Parents may be listed after their children, so repeat until no new descendant is found (depth is small).
        for (var added = true; added;)
        {
            added = false;
            foreach (var (child, parent) in parents)
            {
                added |= family.Contains(parent) && family.Add(child);
            }
        }

        return family;
    }

    /// <summary>Every live process's parent, from one pass over /proc.</summary>
    public static Dictionary<int, int> ParentsOfAll()
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                parents[pid] = stat.ParentPid;
            }
        }

        return parents;
    }
}
