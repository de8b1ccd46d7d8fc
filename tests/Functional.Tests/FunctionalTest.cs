using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>Starts supervisors for a test and, in TearDown, proves that nothing it started is still running.</summary>
public abstract class FunctionalTest
{
    private readonly List<SupervisorHarness> _started = [];
    private readonly List<Cluster.TestSupport.TempFolder> _folders = [];

    /// <summary>Carried by every command the test runs to completion, so that the teardown finds what one left behind.</summary>
    private readonly string _commandMarker = Guid.NewGuid().ToString("N");

    /// <summary>A fresh folder under the temp directory, deleted after the test.</summary>
    internal string TempFolder(string purpose)
    {
        var folder = new Cluster.TestSupport.TempFolder(purpose);
        _folders.Add(folder);
        return folder.Path;
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

    /// <summary>
    /// Stops every supervisor the test started and kills whatever carries one of its markers, then fails the test if
    /// anything was left running. Every step runs whatever an earlier one threw; their exceptions are reported together.
    /// </summary>
    [TearDown]
    public async Task NoProcessIsLeftBehind()
    {
        var leftovers = new List<int>();
        var errors = new List<Exception>();
        foreach (var harness in _started)
        {
            await Collect(errors, async () => leftovers.AddRange(await harness.KillLeftoversAsync()));
            await Collect(errors, async () => await harness.DisposeAsync());
        }

        _started.Clear();
        await Collect(errors, async () => leftovers.AddRange(await LeftoverProcesses.KillAllAsync(_commandMarker)));
        foreach (var folder in _folders)
        {
            await Collect(errors, () =>
            {
                folder.Dispose();
                return Task.CompletedTask;
            });
        }

        _folders.Clear();
        if (errors.Count > 0)
        {
            throw new AggregateException($"the teardown failed (every step was still run; processes left running and killed now: {(leftovers.Count == 0 ? "none" : string.Join(", ", leftovers))})", errors);
        }

        Assert.That(leftovers, Is.Empty, "processes were still running after the test (killed now)");
        Assert.That(leftovers.Where(Posix.IsAlive), Is.Empty);
    }

    private static async Task Collect(List<Exception> errors, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e)
        {
            errors.Add(e);
        }
    }
}
