using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>Starts supervisors for a test and, in TearDown, proves that nothing it started is still running.</summary>
public abstract class FunctionalTest
{
    private readonly List<SupervisorHarness> _started = [];
    private readonly List<string> _folders = [];

    /// <summary>A fresh folder under the temp directory, deleted after the test.</summary>
    internal string TempFolder(string purpose)
    {
        var folder = Directory.CreateTempSubdirectory($"cluster-{purpose}-").FullName;
        _folders.Add(folder);
        return folder;
    }

    internal SupervisorHarness Start(JsonObject config, params string[] extraArgs) => Track(SupervisorHarness.Start(config, extraArgs));

    internal SupervisorHarness Track(SupervisorHarness harness)
    {
        _started.Add(harness);
        return harness;
    }

    [TearDown]
    public async Task NoProcessIsLeftBehind()
    {
        var leftovers = new List<int>();
        foreach (var harness in _started)
        {
            leftovers.AddRange(await harness.KillLeftoversAsync());
            await harness.DisposeAsync();
        }

        _started.Clear();
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        _folders.Clear();
        Assert.That(leftovers, Is.Empty, "processes were still running after the test (killed now)");
        Assert.That(leftovers.Where(Posix.IsAlive), Is.Empty);
    }
}
