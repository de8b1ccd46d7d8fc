namespace Cluster.TestSupport;

/// <summary>Finds and kills what a test started, by the marker every test process carries in its environment.</summary>
public static class LeftoverProcesses
{
    /// <summary>Kills every live process carrying the marker and returns their PIDs (empty when nothing was left).</summary>
    public static async Task<IReadOnlyList<int>> KillAllAsync(string marker)
    {
        var leftovers = ProcFs.ProcessesWithEnvironment(TestProcess.MarkerVariable, marker);
        foreach (var pid in leftovers)
        {
            Posix.Signal(pid, Posix.SIGKILL);
        }

        await Eventually.TrueAsync(() => leftovers.All(pid => !Posix.IsAlive(pid)), Waits.Patience);
        return leftovers;
    }
}
