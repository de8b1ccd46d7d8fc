using System.Diagnostics;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>No worker outlives its supervisor, whatever kills it, and leftovers of an earlier one are cleared.</summary>
// Long (a minute idle on purpose): started early, beside the others.
[Order(3)]
public sealed class OrphanTests : FunctionalTest
{
    [Test]
    public async Task After_more_than_a_minute_idle_a_SIGKILLed_supervisor_takes_its_dotnet_and_python_workers_down_with_it()
    {
        var dotnet = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        var python = Start(PythonConfig(workers: 2));
        await dotnet.WaitForAllWorkersAsync(2);
        await python.WaitForReadyAsync(2);
        var workers = dotnet.WorkerPids().Concat(python.WorkerPids()).ToList();
        Assert.That(workers, Has.Count.EqualTo(4));

        // Idle thread-pool threads retire after about 20 s; the parent-death signal must not depend on any of them.
        await Task.Delay(TimeSpan.FromSeconds(65));
        Assert.That(workers.Count(Posix.IsAlive), Is.EqualTo(4), "a worker died while the supervisor sat idle");

        dotnet.Process.Signal(Posix.SIGKILL);
        python.Process.Signal(Posix.SIGKILL);
        var clock = Stopwatch.StartNew();
        // The kernel's parent-death signal (SIGKILL) takes them down at once; nothing in them has to run for it.
        var allGone = await Eventually.TrueAsync(() => !workers.Any(Posix.IsAlive), SupervisorHarness.Patience, TimeSpan.FromMilliseconds(20));

        Assert.That(allGone, Is.True, $"still running after the supervisor's SIGKILL: {string.Join(", ", workers.Where(Posix.IsAlive))}");
        TestContext.Progress.WriteLine($"all workers gone {clock.ElapsedMilliseconds} ms after SIGKILL of the supervisors");
    }

    [Test]
    public async Task Workers_left_by_a_previous_supervisor_are_found_through_the_pid_file_and_stopped()
    {
        var folder = TempFolder("leftover");
        var pidFile = Path.Combine(folder, "app.pids.json");
        await using var orphan = TestProcess.StartDotnet(RepositoryPaths.TestWorkerDll, [], PreviousSupervisor.LeftoverWorkerEnvironment());
        await orphan.WaitForLineAsync("listening", SupervisorHarness.Patience);
        var content = PreviousSupervisor.PidFile(Path.Combine(folder, "supervisor.json"), orphan.Pid, ProcFs.StartTime(orphan.Pid));
        await File.WriteAllTextAsync(pidFile, content.ToJsonString());
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["pidFile"] = pidFile;

        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        Assert.That(supervisor.Process.Output, Does.Contain($"found 1 process(es) of a previous supervisor (pid {PreviousSupervisor.DeadPid}, no longer running) still running: worker 0 pid {orphan.Pid} (SIGTERM); stopping them"));
        Assert.That(await orphan.WaitForExitAsync(SupervisorHarness.Patience), Is.True, "the leftover worker is still running");
        Assert.That(supervisor.Process.Output, Does.Contain("stopped 1 leftover process(es) of the previous supervisor; 0 needed SIGKILL"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(File.Exists(pidFile), Is.False, "the pid file outlived a clean stop");
    }

    [Test]
    public async Task A_pid_reused_by_an_unrelated_process_is_left_alone()
    {
        var folder = TempFolder("leftover");
        var pidFile = Path.Combine(folder, "app.pids.json");
        await using var stranger = TestProcess.Start("sleep", ["60"]);
        // Same PID, another start time: not our worker.
        var content = PreviousSupervisor.PidFile(Path.Combine(folder, "supervisor.json"), stranger.Pid, ProcFs.StartTime(stranger.Pid) - 1);
        await File.WriteAllTextAsync(pidFile, content.ToJsonString());
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["pidFile"] = pidFile;

        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        Assert.That(Posix.IsAlive(stranger.Pid), Is.True);
        Assert.That(supervisor.Process.Output, Does.Not.Contain("previous supervisor"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_second_supervisor_on_the_same_config_refuses_to_start()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["pidFile"] = Path.Combine(TempFolder("twice"), "app.pids.json");
        var first = Start(config);
        await first.WaitForAllWorkersAsync(1);

        var second = Start(config);

        Assert.That(await second.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(second.Process.ExitCode, Is.EqualTo(2));
        Assert.That(second.Process.Output, Does.Contain($"a supervisor (pid {first.Process.Pid}) is already running with"));
        Assert.That(second.WorkerPids(), Is.Empty);
        Assert.That((await first.Http.GetAsync("/")).IsSuccessStatusCode, Is.True, "the first supervisor was disturbed");
        Assert.That(await first.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task The_children_of_a_wrapper_script_stop_with_it_and_die_with_it()
    {
        // The shell stays as the worker and runs the server as its child, as `npm start` and friends do.
        var supervisor = Start(WrapperConfig());
        await supervisor.WaitForReadyAsync(1);
        var shell = supervisor.WorkerPids().Single();
        var server = await ChildOfAsync(shell);

        Posix.Signal(shell, Posix.SIGKILL);
        await supervisor.Process.WaitForLineAsync($@"worker 0 \[pid {shell}\] had left processes behind in its process group; killed them", SupervisorHarness.Patience);
        Assert.That(await Eventually.TrueAsync(() => !Posix.IsAlive(server), SupervisorHarness.Patience), Is.True, "the wrapper's child outlived it");

        await supervisor.WaitForReadyAsync(2);
        var secondServer = await ChildOfAsync(supervisor.WorkerPids()[^1]);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(Posix.IsAlive(secondServer), Is.False, "the wrapper's child outlived a graceful stop");
    }

    [Test]
    public async Task A_wrapper_scripts_child_orphaned_by_a_SIGKILLed_supervisor_is_stopped_by_the_next_start()
    {
        var config = WrapperConfig();
        config["pidFile"] = Path.Combine(TempFolder("wrapper"), "app.pids.json");
        var first = Start(config);
        await first.WaitForReadyAsync(1);
        var shell = first.WorkerPids().Single();
        var server = await ChildOfAsync(shell);

        first.Process.Signal(Posix.SIGKILL);
        Assert.That(await Eventually.TrueAsync(() => !Posix.IsAlive(shell), SupervisorHarness.Patience), Is.True, "the worker itself outlived the supervisor");
        Assert.That(Posix.IsAlive(server), Is.True, "expected the wrapper's child to be orphaned (the case this test is about)");

        var second = Start(config);
        await second.WaitForReadyAsync(1);

        Assert.That(second.Process.Output, Does.Contain($"pid {server} (child of worker 0) (SIGTERM)"));
        Assert.That(Posix.IsAlive(server), Is.False, "the orphaned child of the previous supervisor's worker is still running");
        Assert.That(await second.StopAsync(), Is.EqualTo(0));
    }

    private static JsonObject WrapperConfig() => new()
    {
        ["workers"] = 1,
        ["worker"] = new JsonObject
        {
            ["command"] = "sh",
            ["args"] = new JsonArray("-c", "python3 -m http.server {port} --bind 127.0.0.1 & wait"),
        },
    };

    private static JsonObject PythonConfig(int workers) => new()
    {
        ["workers"] = workers,
        ["worker"] = new JsonObject { ["command"] = "python3", ["args"] = new JsonArray("-m", "http.server", "{port}", "--bind", "127.0.0.1") },
    };

    private static async Task<int> ChildOfAsync(int parent)
    {
        int? child = null;
        await Eventually.TrueAsync(() => (child = ProcFs.ChildrenOf(parent).Cast<int?>().FirstOrDefault()) is not null, SupervisorHarness.Patience);
        Assert.That(child, Is.Not.Null, $"pid {parent} has no child");
        return child!.Value;
    }
}
