using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>Starts supervisors for a test and, in TearDown, proves that nothing it started is still running.</summary>
public abstract class FunctionalTest
{
    private readonly List<SupervisorHarness> _started = [];
    private readonly List<string> _folders = [];

    /// <summary>Carried by every command the test runs to completion, so that the teardown finds what one left behind.</summary>
    private readonly string _commandMarker = Guid.NewGuid().ToString("N");

    /// <summary>A fresh folder under the temp directory, deleted after the test.</summary>
    internal string TempFolder(string purpose)
    {
        var folder = Directory.CreateTempSubdirectory($"cluster-{purpose}-").FullName;
        _folders.Add(folder);
        return folder;
    }

    internal SupervisorHarness Start(JsonObject config, params string[] extraArgs) => Track(SupervisorHarness.Start(config, extraArgs));

    /// <summary>Runs a program to completion (CliWrap), bounded by <paramref name="timeout"/>.</summary>
    internal Task<CommandOutput> RunAsync(string command, IEnumerable<string> args, TimeSpan timeout, string? cwd = null, IReadOnlyDictionary<string, string?>? env = null) =>
        TestCommand.RunAsync(command, args, timeout, cwd, env, _commandMarker);

    /// <summary>Runs the built `supervisor` with these arguments to completion: a command, or a start that must fail.</summary>
    internal Task<CommandOutput> RunSupervisorAsync(IEnumerable<string> args, string cwd, IReadOnlyDictionary<string, string?>? env = null) =>
        TestCommand.RunDotnetAsync(RepositoryPaths.SupervisorDll, args, SupervisorHarness.Patience, cwd, env, _commandMarker);

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
        leftovers.AddRange(await LeftoverProcesses.KillAllAsync(_commandMarker));
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        _folders.Clear();
        Assert.That(leftovers, Is.Empty, "processes were still running after the test (killed now)");
        Assert.That(leftovers.Where(Posix.IsAlive), Is.Empty);
    }
}
