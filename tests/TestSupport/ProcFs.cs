using System.Globalization;

namespace Cluster.TestSupport;

/// <summary>
/// What tests read of /proc: a process's (or one thread's) stat and status fields, its environment and descriptors,
/// and the walk over every process. Anything read of a process that is gone meanwhile is null or empty, not an error.
/// </summary>
public static class ProcFs
{
    /// <summary>A field of /proc/PID/stat (or of a thread's) after the command name: 0 is the state, 1 the parent, 19 the start time.</summary>
    public static string? StatField(int pid, int index, string? thread = null)
    {
        var stat = Read(thread is null ? $"/proc/{pid}/stat" : $"/proc/{pid}/task/{thread}/stat");
        // The command name is in parentheses and may itself contain spaces and parentheses.
        return stat?[(stat.LastIndexOf(')') + 2)..].Split(' ')[index];
    }

    /// <summary>The state letter (R, S, D, T, Z, ...); null once the process is gone.</summary>
    public static char? State(int pid, string? thread = null) => StatField(pid, 0, thread)?[0];

    public static int? ParentOf(int pid) => StatField(pid, 1) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    public static long StartTime(int pid) => long.Parse(StatField(pid, 19) ?? throw new InvalidOperationException($"pid {pid} is gone"), CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> Threads(int pid)
    {
        try
        {
            return Directory.EnumerateDirectories($"/proc/{pid}/task").Select(System.IO.Path.GetFileName).ToList()!;
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>
    /// Every thread of the process shows 'T' (stopped by a signal), or has exited. SIGSTOP lands as each thread next
    /// leaves the kernel, so until then one of them can still, say, accept a connection.
    /// </summary>
    public static bool AllThreadsStopped(int pid) => Threads(pid).All(thread => State(pid, thread) is null or 'T');

    /// <summary>The value of a "Name:" line of /proc/PID/status (or of a thread's), trimmed; null once the process is gone.</summary>
    public static string? StatusField(int pid, string name, string? thread = null)
    {
        var status = Read(thread is null ? $"/proc/{pid}/status" : $"/proc/{pid}/task/{thread}/status");
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return line?[(name.Length + 1)..].Trim();
    }

    /// <summary>The signals in one of the masks of /proc/PID/status: "SigIgn" (ignored), "SigCgt" (caught), "SigBlk" (blocked).</summary>
    public static List<int> SignalMask(int pid, string mask)
    {
        var bits = Convert.ToUInt64(StatusField(pid, mask) ?? throw new InvalidOperationException($"pid {pid} is gone"), 16);
        return Enumerable.Range(1, 64).Where(signal => (bits & (1UL << (signal - 1))) != 0).ToList();
    }

    /// <summary>The CPUs a process (or one of its threads) may run on, from Cpus_allowed_list (e.g. "0-1,4").</summary>
    public static List<int> CpusAllowed(int pid, string? thread = null)
    {
        var list = StatusField(pid, "Cpus_allowed_list", thread) ?? throw new InvalidOperationException($"pid {pid} is gone");
        return list.Split(',').SelectMany(range => range.Split('-') is [var from, var to]
            ? Enumerable.Range(Number(from), Number(to) - Number(from) + 1)
            : [Number(range)]).ToList();

        static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>Resident memory (VmRSS) in bytes.</summary>
    public static long ResidentBytes(int pid) =>
        long.Parse((StatusField(pid, "VmRSS") ?? throw new InvalidOperationException($"pid {pid} is gone")).Split(' ')[0], CultureInfo.InvariantCulture) * 1024;

    /// <summary>The command name (/proc/PID/comm, what exec set it to); null once it is gone.</summary>
    public static string? Comm(int pid) => Read($"/proc/{pid}/comm")?.Trim();

    /// <summary>The numbers of its open file descriptors, in order; empty once it is gone.</summary>
    public static IReadOnlyList<int> OpenDescriptors(int pid) => Descriptors(pid).Order().ToList();

    /// <summary>The NAME=VALUE entries of its environment; empty once it is gone.</summary>
    public static IReadOnlyList<string> Environment(int pid) => Read($"/proc/{pid}/environ")?.Split('\0', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>Every PID in /proc but the test runner's own.</summary>
    public static IEnumerable<int> Processes() =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(System.IO.Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != System.Environment.ProcessId);

    /// <summary>Every live process whose environment holds NAME=VALUE (children inherit it, so this finds descendants).</summary>
    public static IReadOnlyList<int> ProcessesWithEnvironment(string name, string value) =>
        Processes().Where(pid => Environment(pid).Contains($"{name}={value}") && Posix.IsAlive(pid)).ToList();

    public static IReadOnlyList<int> ChildrenOf(int parent) => Processes().Where(pid => ParentOf(pid) == parent).ToList();

    /// <summary>The inode of the socket a process's descriptor refers to ("socket:[INODE]"); null when it has no such socket.</summary>
    public static string? SocketAt(int pid, int fd)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal) ? target[8..^1] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every socket the process holds: descriptor to socket inode.</summary>
    public static Dictionary<int, string> Sockets(int pid) =>
        Descriptors(pid).Select(fd => (Fd: fd, Inode: SocketAt(pid, fd))).Where(d => d.Inode is not null).ToDictionary(d => d.Fd, d => d.Inode!);

    /// <summary>Every process holding the socket, with the descriptors it holds it at.</summary>
    public static Dictionary<int, List<int>> SocketHolders(string inode) =>
        Processes().Append(System.Environment.ProcessId)
            .Select(pid => (Pid: pid, Fds: Sockets(pid).Where(s => s.Value == inode).Select(s => s.Key).Order().ToList()))
            .Where(holder => holder.Fds.Count > 0)
            .ToDictionary(holder => holder.Pid, holder => holder.Fds);

    /// <summary>Whether /proc/PID/fdinfo/FD's "flags:" (octal) has O_CLOEXEC (02000000).</summary>
    public static bool IsCloseOnExec(int pid, int fd)
    {
        var flags = Read($"/proc/{pid}/fdinfo/{fd}")!.Split('\n').First(l => l.StartsWith("flags:", StringComparison.Ordinal))["flags:".Length..].Trim();
        return (Convert.ToInt64(flags, 8) & 0x80000) != 0;
    }

    private static List<int> Descriptors(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Select(d => int.Parse(System.IO.Path.GetFileName(d), CultureInfo.InvariantCulture)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone already (DirectoryNotFound, FileNotFound, ESRCH), or not ours to read.
            return null;
        }
    }
}
