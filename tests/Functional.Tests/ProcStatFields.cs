namespace Cluster.Functional.Tests;

/// <summary>What the tests read of /proc/PID/stat, and the pid file a previous (dead) supervisor would have left.</summary>
internal static class ProcStatFields
{
    /// <summary>A PID no process has: above the kernel's default pid_max on 64-bit.</summary>
    public const int DeadPid = 4_194_305;

    public static int? ParentOf(int pid) => Field(pid, 1) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static long StartTime(int pid) => long.Parse(Field(pid, 19)!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The pid file of a supervisor that died (<see cref="DeadPid"/>) leaving worker 0 as PID <paramref name="workerPid"/>.</summary>
    public static System.Text.Json.Nodes.JsonObject PreviousPidFile(string configFile, int workerPid, long workerStartTime) => new()
    {
        ["supervisor"] = new System.Text.Json.Nodes.JsonObject { ["pid"] = DeadPid, ["startTime"] = 1 },
        ["configFile"] = configFile,
        ["workers"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = 0, ["pid"] = workerPid, ["startTime"] = workerStartTime }),
    };

    private static string? Field(int pid, int index)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[index];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
