using System.Text.Json.Nodes;

namespace Cluster.Functional.Tests;

/// <summary>The pid file a previous supervisor would have left when it died, for the leftover-worker tests.</summary>
internal static class PreviousSupervisor
{
    /// <summary>A PID no process has: above the kernel's default pid_max on 64-bit.</summary>
    public const int DeadPid = 4_194_305;

    /// <summary>The pid file of a supervisor that died (<see cref="DeadPid"/>) leaving worker 0 as PID <paramref name="workerPid"/>.</summary>
    public static JsonObject PidFile(string configFile, int workerPid, long workerStartTime) => new()
    {
        ["supervisor"] = new JsonObject { ["pid"] = DeadPid, ["startTime"] = 1 },
        ["configFile"] = configFile,
        ["workers"] = new JsonArray(new JsonObject { ["id"] = 0, ["pid"] = workerPid, ["startTime"] = workerStartTime }),
    };
}
