using System.Runtime.InteropServices;

namespace Cluster.TestSupport;

/// <summary>Signals by PID, and a look at /proc, for tests that must prove what is still running.</summary>
public static class Posix
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGUSR2 = 12;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    public static bool Signal(int pid, int signal) => SysKill(pid, signal) == 0;

    /// <summary>True when the PID exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state is the first field after the parenthesised command name, which may itself contain spaces.
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>The CPUs a process (or one of its threads) may run on, from Cpus_allowed_list in its status (e.g. "0-1,4").</summary>
    public static List<int> CpusAllowed(int pid, string? thread = null)
    {
        var status = File.ReadAllLines(thread is null ? $"/proc/{pid}/status" : $"/proc/{pid}/task/{thread}/status");
        var list = status.First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..].Trim();
        return list.Split(',').SelectMany(range => range.Split('-') is [var from, var to]
            ? Enumerable.Range(Number(from), Number(to) - Number(from) + 1)
            : [Number(range)]).ToList();

        static int Number(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every live process whose environment holds NAME=VALUE (children inherit it, so this finds descendants).</summary>
    public static IReadOnlyList<int> ProcessesWithEnvironment(string name, string value)
    {
        var needle = $"{name}={value}";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Split('\0').Contains(needle) && IsAlive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone already, or not ours to read.
            }
        }

        return found;
    }
}
