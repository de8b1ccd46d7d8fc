using System.Net;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// The self-contained build (`dotnet publish src/Supervisor -p:PublishProfile=SelfContained`) is trimmed: code reached
/// only by reflection would be gone at run time, and only running it shows that. So it is published here and run
/// through every path that serializes or parses JSON, or maps the control API: the pid file left by a previous
/// supervisor, the load-balancer health answer, a front-end error body, status, scale and stop.
/// </summary>
/// <remarks>
/// It publishes into its own artifacts folder (--artifacts-path), so it runs beside the other tests (none of which
/// depends on how fast the machine is): the binaries they run stay untouched. It publishes without ReadyToRun
/// (`-p:PublishReadyToRun=false`): precompiling changes how fast the kept code starts, not what trimming keeps, which is
/// what this test is about, and it was a third of the publish's time (88 s against 60 s on an idle CI machine). Nor does
/// it run the Roslyn analyzers (`-p:RunAnalyzers=false`): the solution's own build has just run them on the same code,
/// the trimmer's warnings (IL2xxx, which fail this test) come from ILLink itself, and they were half of the compile's
/// time (Csc 45 s against 23 s, the publish 69 s against 48 s, idle).
/// </remarks>
// The longest fixture (a trimmed publish) starts first, so the run does not end waiting for it alone.
[Order(1)]
public sealed class SelfContainedBuildTests : FunctionalTest
{
    /// <summary>Trimming compiles the whole framework; on a machine busy with the other tests that takes minutes.</summary>
    private static readonly TimeSpan PublishPatience = TimeSpan.FromMinutes(30);

    [Test]
    public async Task The_trimmed_self_contained_build_runs_the_whole_cluster()
    {
        var folder = TempFolder("self-contained");
        var output = Path.Combine(folder, "publish");
        var publish = await RunAsync(
            "dotnet",
            // No build servers: they would outlive the test (and the teardown proves nothing does).
            ["publish", RepositoryPaths.InRepository("src/Supervisor/Supervisor.csproj"), "-p:PublishProfile=SelfContained", "-p:PublishReadyToRun=false", "-p:RunAnalyzers=false", "-o", output, "--artifacts-path", Path.Combine(folder, "artifacts"), "-nologo", "--disable-build-servers", "-nodeReuse:false", "-p:UseSharedCompilation=false"],
            PublishPatience,
            folder);
        Assert.That(publish.ExitCode, Is.EqualTo(0), publish.Output);
        Assert.That(publish.Output, Does.Not.Contain("warning"), "a trim warning means code that may fail at run time");

        var executable = Path.Combine(output, "supervisor");
        Assert.That(File.Exists(Path.Combine(output, "libcoreclr.so")), Is.True, "the runtime is not in the published folder");
        Assert.That(File.ReadAllText(Path.Combine(output, "supervisor.runtimeconfig.json")), Does.Contain("includedFrameworks"), "not a self-contained build");

        // A worker left running by a supervisor that died: the new one must read the pid file and stop it.
        await using var orphan = TestProcess.StartDotnet(RepositoryPaths.TestWorkerDll, [], PreviousSupervisor.LeftoverWorkerEnvironment());
        await orphan.WaitForLineAsync("listening", SupervisorHarness.Patience);
        var pidFile = Path.Combine(folder, "app.pids.json");
        await File.WriteAllTextAsync(pidFile, PreviousSupervisor.PidFile(Path.Combine(folder, "supervisor.json"), orphan.Pid, ProcFs.StartTime(orphan.Pid)).ToJsonString());

        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        config["pidFile"] = pidFile;
        config["loadBalancerHealth"] = new JsonObject { ["path"] = "/_cluster/health" };
        config["limits"] = new JsonObject { ["maxRequestBodySize"] = "1KB" };
        var supervisor = Track(SupervisorHarness.StartExecutable(executable, config));
        await supervisor.WaitForAllWorkersAsync(2);
        Assert.That(await orphan.WaitForExitAsync(SupervisorHarness.Patience), Is.True, "the leftover worker of the previous supervisor is still running");
        Assert.That(supervisor.Process.Output, Does.Contain($"found 1 process(es) of a previous supervisor (pid {PreviousSupervisor.DeadPid}, no longer running)"));
        var recorded = JsonNode.Parse(await File.ReadAllTextAsync(pidFile))!;
        Assert.That((int)recorded["supervisor"]!["pid"]!, Is.EqualTo(supervisor.Process.Pid), "the pid file names the new supervisor");

        using var health = await supervisor.Http.GetAsync("/_cluster/health");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(await health.Content.ReadAsStringAsync())!.ToJsonString(), Is.EqualTo("""{"status":"ok","readyWorkers":2}"""));
        using var tooLarge = await supervisor.Http.PostAsync("/echo-size", new StringContent(new string('a', 2000)));
        Assert.That(tooLarge.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((string?)JsonNode.Parse(await tooLarge.Content.ReadAsStringAsync())!["error"], Is.EqualTo("request_too_large"));

        var status = await supervisor.StatusFromCommandAsync();
        Assert.That(status["workers"]!.AsArray().Select(w => (string?)w!["state"]), Is.EqualTo(new[] { "ready", "ready" }), status.ToJsonString());
        Assert.That(await supervisor.CommandAsync("scale", "1"), Is.EqualTo((0, "scaled down from 2 to 1 worker(s); removed workers drained and stopped")));

        var (exitCode, stopOutput) = await supervisor.CommandAsync("stop");
        Assert.That(exitCode, Is.EqualTo(0), stopOutput);
        Assert.That(stopOutput, Does.Contain($"supervisor pid {supervisor.Process.Pid} stopped"));
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True, supervisor.Process.Output);
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(0), supervisor.Process.Output);
        Assert.That(File.Exists(pidFile), Is.False, "the pid file outlived a clean stop");
    }
}
