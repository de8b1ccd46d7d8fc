using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// A supervisor started with signals its parent ignored (`nohup`, a shell's background job: SIGHUP, SIGINT, SIGQUIT at
/// SIG_IGN, which exec keeps) still handles them, and starts its workers with every signal at its default action.
/// </summary>
public sealed class InheritedSignalTests : FunctionalTest
{
    private static readonly int[] Documented = [Posix.SIGHUP, Posix.SIGINT, Posix.SIGQUIT];

    [Test]
    public async Task Signals_ignored_by_the_parent_still_reload_and_stop_the_supervisor_and_reach_its_workers()
    {
        var signals = Path.Combine(TempFolder("signals"), "received");
        var config = SupervisorHarness.TestWorkerConfig(workers: 1, new JsonObject { ["stopSignal"] = "SIGINT" }, new JsonObject { ["TEST_SIGNAL_FILE"] = signals });
        // The shell ignores the three, then becomes the supervisor (same PID): what `nohup supervisor start &` gives it.
        var supervisor = Track(SupervisorHarness.StartThrough(config, (args, folder) => TestProcess.Start(
            "sh",
            ["-c", "trap '' HUP INT QUIT; exec dotnet \"$0\" \"$@\"", RepositoryPaths.SupervisorDll, .. args],
            cwd: folder)));
        var worker = (await supervisor.WaitForAllWorkersAsync(1))[0];

        Assert.That(ProcFs.SignalMask(supervisor.Process.Pid, "SigIgn"), Has.None.AnyOf(Documented), "the supervisor still ignores a signal it handles");
        Assert.That(ProcFs.SignalMask(supervisor.Process.Pid, "SigCgt"), Is.SupersetOf(Documented), "the supervisor does not handle a signal it documents");
        Assert.That(ProcFs.SignalMask(worker, "SigIgn"), Has.None.AnyOf(Documented), "the worker inherited an ignored signal");
        Assert.That(ProcFs.SignalMask(worker, "SigBlk"), Is.Empty, "the worker inherited blocked signals");

        supervisor.Process.Signal(Posix.SIGHUP);
        await supervisor.Process.WaitForLineAsync(@"configuration generation 2 applied \(SIGHUP\)", SupervisorHarness.Patience);

        supervisor.Process.Signal(Posix.SIGQUIT);
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True, "SIGQUIT did not stop the supervisor");
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(0), supervisor.Process.Output);
        Assert.That(await Eventually.TrueAsync(() => File.Exists(signals) && File.ReadAllText(signals).Contains($"0 {worker} SIGINT", StringComparison.Ordinal), SupervisorHarness.Patience), Is.True, "the worker did not get its stop signal, SIGINT");
    }
}
