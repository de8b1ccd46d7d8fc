namespace Cluster.Functional.Tests;

/// <summary>What the tests read of /proc/PID/stat, and the pid file a previous (dead) supervisor would have left.</summary>
internal static class ProcStatFields
{
    /// <summary>A PID no process has: above the kernel's default pid_max on 64-bit.</summary>
    public const int DeadPid = 4_194_305;

    public static int? ParentOf(int pid) => Field(pid, 1) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static long StartTime(int pid) => long.Parse(Field(pid, 19)!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The environment a worker of that dead supervisor has: its port and id, and SUPERVISOR_PID, by which the next
    /// supervisor knows the process for one of its own (a PID and start time alone could be copied from any process).
    /// </summary>
    public static Dictionary<string, string> LeftoverWorkerEnvironment() => new()
    {
        ["PORT"] = Cluster.TestSupport.FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["WORKER_ID"] = "0",
        ["SUPERVISOR_PID"] = DeadPid.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The pid file of a supervisor that died (<see cref="DeadPid"/>) leaving worker 0 as PID <paramref name="workerPid"/>.</summary>
    public static System.Text.Json.Nodes.JsonObject PreviousPidFile(string configFile, int workerPid, long workerStartTime) => new()
    {
        ["supervisor"] = new System.Text.Json.Nodes.JsonObject { ["pid"] = DeadPid, ["startTime"] = 1 },
        ["configFile"] = configFile,
        ["workers"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = 0, ["pid"] = workerPid, ["startTime"] = workerStartTime }),
    };

    /// <summary>
    /// Every thread of the process shows 'T' (stopped by a signal), or has exited. SIGSTOP lands as each thread next
    /// leaves the kernel, so until then one of them can still, say, accept a connection.
    /// </summary>
    public static bool AllThreadsStopped(int pid) =>
        Directory.EnumerateDirectories($"/proc/{pid}/task").ToList().All(thread => StatField(Path.Combine(thread, "stat"), 0) is null or "T");

    private static string? Field(int pid, int index) => StatField($"/proc/{pid}/stat", index);

    /// <summary>A field after the command name of a process's or a thread's stat file; null once it is gone.</summary>
    private static string? StatField(string path, int index)
    {
        try
        {
            var stat = File.ReadAllText(path);
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[index];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
