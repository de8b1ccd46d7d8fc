using System.Text.Json;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Upgrade;

/// <summary>Reads the hand-over a supervisor was started with (<see cref="HandOver.Variable"/>), if any.</summary>
internal static class HandOverEnvironment
{
    /// <summary>
    /// The hand-over, taken out of the environment (no worker, nor a later upgrade, may see it). It is believed only if
    /// this process's parent is the very supervisor it names (same PID, same start time): then the descriptors it
    /// lists are that supervisor's sockets. Otherwise (a copied environment) it is ignored, with the reason.
    /// </summary>
    public static (HandOver? HandOver, string? Ignored) TakeFromProcess()
    {
        var value = Environment.GetEnvironmentVariable(HandOver.Variable);
        Environment.SetEnvironmentVariable(HandOver.Variable, null);
        if (string.IsNullOrEmpty(value))
        {
            return (null, null);
        }

        HandOver? handOver;
        try
        {
            handOver = JsonSerializer.Deserialize(value, HandOverJson.Default.HandOver);
        }
        catch (JsonException e)
        {
            return (null, $"{HandOver.Variable} is not a hand-over: {e.Message}");
        }

        if (handOver is null)
        {
            return (null, $"{HandOver.Variable} is empty");
        }

        var parent = ProcStat.Read(Environment.ProcessId)?.ParentPid;
        if (parent != handOver.Predecessor.Pid || ProcStat.Read(handOver.Predecessor.Pid)?.StartTime != handOver.Predecessor.StartTime)
        {
            return (null, $"{HandOver.Variable} names supervisor pid {handOver.Predecessor.Pid}, which did not start this process (its parent is pid {parent})");
        }

        foreach (var fd in new[] { handOver.Channel, handOver.Stdout, handOver.Stderr })
        {
            Descriptors.SetCloseOnExec(fd);
        }

        return (handOver, null);
    }
}
