using System.Text.Json.Nodes;

namespace Cluster.Functional.Tests;

/// <summary>The pid file a previous supervisor would have left when it died, for the leftover-worker tests.</summary>
internal static class PreviousSupervisor
{
    /// <summary>A PID no process has: above the kernel's default pid_max on 64-bit.</summary>
    public const int DeadPid = 4_194_305;

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
    public static JsonObject PidFile(string configFile, int workerPid, long workerStartTime) => new()
    {
        ["supervisor"] = new JsonObject { ["pid"] = DeadPid, ["startTime"] = 1 },
        ["configFile"] = configFile,
        ["workers"] = new JsonArray(new JsonObject { ["id"] = 0, ["pid"] = workerPid, ["startTime"] = workerStartTime }),
    };
}
