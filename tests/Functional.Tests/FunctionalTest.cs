using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>Starts supervisors for a test and, in TearDown, proves that nothing it started is still running.</summary>
public abstract class FunctionalTest
{
    private readonly List<SupervisorHarness> _started = [];

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
        Assert.That(leftovers, Is.Empty, "processes were still running after the test (killed now)");
        Assert.That(leftovers.Where(Posix.IsAlive), Is.Empty);
    }
}
