using System.Globalization;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// `supervisor upgrade` and SIGUSR2: a new supervisor process takes over the listening sockets, starts its own
/// workers, and the old one drains and exits, with no refused connection and no failed request; or, when the new one
/// fails, the old one serves on as if nothing happened.
/// </summary>
public sealed class UpgradeTests : FunctionalTest
{
    [TestCase("proxy")]
    [TestCase("sharedSocket")]
    public async Task Upgrade_under_load_hands_over_with_no_failed_request_and_the_new_supervisor_is_in_charge(string frontEnd)
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        config["frontEnd"] = frontEnd;
        var supervisor = Start(config);
        await supervisor.WaitForReadyAsync(2);
        var before = await supervisor.StatusAsync();
        var oldPid = supervisor.Process.Pid;
        var oldWorkers = WorkerPidsOf(before);

        // Half the requests on kept-alive connections, half on new ones; two clients at once.
        var load = LoadGenerator.Get(supervisor.Url, concurrency: 2);
        await Eventually.TrueAsync(() => load.Snapshot().Count(a => !a.Failed) >= 20, SupervisorHarness.Patience);
        var (exitCode, output) = await supervisor.CommandAsync("upgrade");
        Assert.That(exitCode, Is.EqualTo(0), output);
        var upgradedAt = DateTime.UtcNow;
        Assert.That(Posix.IsAlive(oldPid), Is.False, "`upgrade` returned before the old supervisor exited");
        Assert.That(await Eventually.TrueAsync(() => load.Snapshot().Count(a => a.Started > upgradedAt && !a.Failed) >= 20, SupervisorHarness.Patience), Is.True, "the new supervisor served nothing");
        var answers = await load.StopAsync();
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a request failed or a connection was refused during the upgrade");

        var after = await supervisor.StatusAsync();
        var newPid = (int)after["supervisor"]!["pid"]!;
        Assert.That(newPid, Is.Not.EqualTo(oldPid));
        Assert.That(output, Does.Contain($"upgraded: supervisor pid {newPid} (version {(string?)before["supervisor"]!["version"]}) has taken over with its own workers; pid {oldPid} is finishing"));
        Assert.That(output, Does.Contain($"supervisor pid {oldPid} stopped; supervisor pid {newPid} is running"));
        Assert.That((string?)after["supervisor"]!["version"], Is.EqualTo((string?)before["supervisor"]!["version"]), "the same build runs");
        Assert.That((int)after["supervisor"]!["upgrades"]!, Is.EqualTo(1));
        Assert.That((int)after["supervisor"]!["previous"]!["pid"]!, Is.EqualTo(oldPid));
        Assert.That((string?)after["supervisor"]!["previous"]!["version"], Is.EqualTo((string?)before["supervisor"]!["version"]));
        Assert.That((string?)after["supervisor"]!["sockets"], Is.EqualTo("previous"));
        Assert.That((string?)after["supervisor"]!["frontEndMode"], Is.EqualTo(frontEnd));
        Assert.That(PidFileSupervisor(supervisor), Is.EqualTo(newPid));
        var newWorkers = WorkerPidsOf(after);
        Assert.That(newWorkers.Intersect(oldWorkers), Is.Empty, "workers are replaced, never adopted");
        Assert.That(answers.Select(a => a.Pid).Intersect(newWorkers), Is.Not.Empty);
        Assert.That(await Eventually.TrueAsync(() => oldWorkers.All(pid => !Posix.IsAlive(pid)), SupervisorHarness.Patience), Is.True, "the old workers outlived the old supervisor");
        var (human, humanOutput) = await supervisor.CommandAsync("status");
        Assert.That(human, Is.EqualTo(0), humanOutput);
        Assert.That(humanOutput, Does.Contain($"upgraded from pid {oldPid} (version {(string?)before["supervisor"]!["version"]})").And.Contain("upgrade #1; workers were replaced by this supervisor's own, not adopted"));

        // The new supervisor answers everything: its log comes through the same output, reload and stop work.
        var (reloaded, reloadOutput) = await supervisor.CommandAsync("reload");
        Assert.That(reloaded, Is.EqualTo(0), reloadOutput);
        Assert.That((int)(await supervisor.StatusAsync())["supervisor"]!["generation"]!, Is.EqualTo(2));
        await supervisor.Process.WaitForLineAsync($@"took over from supervisor pid {oldPid} \(version [^)]+\): this supervisor \(version [^)]+\) owns the control socket and the pid file now \(upgrade #1\)", SupervisorHarness.Patience);
        var (stopped, stopOutput) = await supervisor.CommandAsync("stop");
        Assert.That(stopped, Is.EqualTo(0), stopOutput);
        Assert.That(Posix.IsAlive(newPid), Is.False);
        Assert.That(Directory.GetFiles(supervisor.Folder, "*.sock").Concat(Directory.GetFiles(supervisor.Folder, "*.pids.json")), Is.Empty, "run-time files left after the stop");
    }

    [Test]
    public async Task SIGUSR2_upgrades_as_the_command_does_and_a_second_upgrade_while_one_runs_is_refused()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 1));
        await supervisor.WaitForReadyAsync(1);
        var firstPid = supervisor.Process.Pid;

        supervisor.Process.Signal(Posix.SIGUSR2);
        await supervisor.Process.WaitForLineAsync(@"upgrade \(SIGUSR2\): started a new supervisor, pid \d+", SupervisorHarness.Patience);
        Assert.That(await Eventually.TrueAsync(() => !Posix.IsAlive(firstPid), SupervisorHarness.Patience), Is.True, $"the first supervisor did not hand over:\n{supervisor.Process.Output}");
        var second = await supervisor.StatusAsync();
        var secondPid = (int)second["supervisor"]!["pid"]!;
        Assert.That(((int)second["supervisor"]!["upgrades"]!, (int)second["supervisor"]!["previous"]!["pid"]!), Is.EqualTo((1, firstPid)));

        // The next new supervisor's worker is slow to start: its upgrade is still running when another is asked for.
        supervisor.RewriteConfig(SupervisorHarness.TestWorkerConfig(workers: 1, env: new JsonObject { ["TEST_LISTEN_DELAY_MS"] = "4000" }));
        var upgrade = supervisor.CommandAsync("upgrade");
        await supervisor.Process.WaitForLineAsync(@"upgrade \(supervisor upgrade\): started a new supervisor, pid \d+", SupervisorHarness.Patience);
        Posix.Signal(secondPid, Posix.SIGUSR2);
        await supervisor.Process.WaitForLineAsync(@"upgrade \(SIGUSR2\) refused: an upgrade \(supervisor upgrade\) is in progress: the new supervisor is pid \d+", SupervisorHarness.Patience);
        var (exitCode, output) = await upgrade;
        Assert.That(exitCode, Is.EqualTo(0), output);
        var third = await supervisor.StatusAsync();
        Assert.That(((int)third["supervisor"]!["upgrades"]!, (int)third["supervisor"]!["previous"]!["pid"]!), Is.EqualTo((2, secondPid)));
        Assert.That(Posix.IsAlive(secondPid), Is.False);

        var (stopped, stopOutput) = await supervisor.CommandAsync("stop");
        Assert.That(stopped, Is.EqualTo(0), stopOutput);
    }

    [Test]
    public async Task A_new_supervisor_whose_worker_fails_is_stopped_and_the_old_one_serves_on_with_the_same_workers()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        await supervisor.WaitForReadyAsync(2);
        var before = await supervisor.StatusAsync();
        var load = LoadGenerator.Get(supervisor.Url, concurrency: 2);

        // An invalid config refuses the upgrade before anything starts (the command finds the socket by --socket: the
        // file no longer says where it is).
        File.WriteAllText(supervisor.ConfigPath, "{ \"workers\": \"many\" }");
        var (invalid, invalidOutput) = await supervisor.CommandAsync("upgrade", "--socket", Path.Combine(supervisor.Folder, "control.sock"));
        Assert.That(invalid, Is.EqualTo(2), invalidOutput);
        Assert.That(invalidOutput, Does.Contain("supervisor: upgrade refused: the config is invalid; nothing was started").And.Contain("errors:"));
        Assert.That(supervisor.Process.Output, Does.Not.Contain("started a new supervisor"));

        // A config whose workers fail at boot: the new supervisor gives up at the first failure.
        supervisor.RewriteConfig(SupervisorHarness.TestWorkerConfig(workers: 2, env: new JsonObject { ["TEST_FAIL_AT_BOOT"] = "3" }));
        var (exitCode, output) = await supervisor.CommandAsync("upgrade");
        Assert.That(exitCode, Is.EqualTo(1), output);
        var successor = int.Parse(supervisor.Process.MatchingLines(@"started a new supervisor, pid (\d+)").Single().Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(output, Does.Match(@"supervisor: upgrade failed: the new worker \d \(pid \d+\) exited with code 3 after [^ ]+ uptime before every worker was ready; the new supervisor \(pid \d+\) and everything it started were stopped; this supervisor \(pid \d+\) keeps serving with the same workers"));
        Assert.That(output, Does.Contain("its last output:"));
        await AssertServesOnAsync(supervisor, before, successor, load);
    }

    [Test]
    public async Task A_new_supervisor_that_cannot_even_start_leaves_the_old_one_serving_and_upgrade_exits_1_with_its_output()
    {
        // The supervisor runs from a copy of the build, so that the test can break the program file the upgrade runs.
        var copy = TempFolder("build");
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(RepositoryPaths.SupervisorDll)!))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var program = Path.Combine(copy, Path.GetFileName(RepositoryPaths.SupervisorDll));
        var supervisor = Track(SupervisorHarness.StartThrough(SupervisorHarness.TestWorkerConfig(workers: 2), (args, folder) => TestProcess.StartDotnet(program, args, cwd: folder)));
        await supervisor.WaitForReadyAsync(2);
        var before = await supervisor.StatusAsync();
        var load = LoadGenerator.Get(supervisor.Url, concurrency: 2);

        // A new file renamed over it, as an installer would: the running process keeps the file it has loaded.
        var broken = program + ".new";
        File.WriteAllText(broken, "not a .NET assembly");
        File.Move(broken, program, overwrite: true);
        var (exitCode, output) = await supervisor.CommandAsync("upgrade");
        Assert.That(exitCode, Is.EqualTo(1), output);
        var successor = int.Parse(supervisor.Process.MatchingLines(@"started a new supervisor, pid (\d+)").Single().Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(output, Does.Match(@"supervisor: upgrade failed: it ended \(.+\) before it took over; the new supervisor \(pid \d+\) and everything it started were stopped; this supervisor \(pid \d+\) keeps serving with the same workers"));
        Assert.That(output, Does.Contain("its last output:").And.Contain("supervisor.dll"), "the runtime's complaint about the program file");
        await AssertServesOnAsync(supervisor, before, successor, load);
    }

    [Test]
    public async Task Under_systemd_the_old_supervisor_hands_MAINPID_to_the_new_one_which_then_says_READY()
    {
        using var systemd = NotifySocketListener.AtPath(Path.Combine(TempFolder("systemd"), "notify.sock"));
        var supervisor = Track(SupervisorHarness.StartThrough(
            SupervisorHarness.TestWorkerConfig(workers: 1),
            (args, folder) => TestProcess.StartDotnet(RepositoryPaths.SupervisorDll, args, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = systemd.Address }, folder)));
        var received = new List<string>();
        await ReceiveUntilAsync(systemd, received, "READY=1");
        var oldPid = supervisor.Process.Pid;

        var (exitCode, output) = await supervisor.CommandAsync("upgrade");
        Assert.That(exitCode, Is.EqualTo(0), output);
        var newPid = (int)(await supervisor.StatusAsync())["supervisor"]!["pid"]!;
        var handOver = await ReceiveUntilAsync(systemd, received, "MAINPID=");
        Assert.That(handOver, Is.EqualTo($"MAINPID={newPid}\nSTATUS=handing over to supervisor pid {newPid} (version {(string?)(await supervisor.StatusAsync())["supervisor"]!["version"]})"));
        // The new supervisor speaks only once it is the main process, and its first state is READY=1; the old one is silent.
        Assert.That(await ReceiveUntilAsync(systemd, received, "READY=1"), Is.EqualTo("READY=1\nSTATUS=1 of 1 workers ready"));
        Assert.That(received.SkipWhile(m => !m.StartsWith("MAINPID=", StringComparison.Ordinal)).Where(m => m.StartsWith("STOPPING=1", StringComparison.Ordinal)), Is.Empty, $"the old supervisor (pid {oldPid}) told systemd it was stopping");

        var (stopped, stopOutput) = await supervisor.CommandAsync("stop");
        Assert.That(stopped, Is.EqualTo(0), stopOutput);
        Assert.That(await ReceiveUntilAsync(systemd, received, "STOPPING=1"), Does.StartWith("STOPPING=1\nSTATUS=stopping (supervisor stop)"));
    }

    /// <summary>After a failed upgrade: the old supervisor, its workers and its pid file as before, no request failed, nothing of the new one left.</summary>
    private static async Task AssertServesOnAsync(SupervisorHarness supervisor, JsonObject before, int successor, LoadGenerator load)
    {
        Assert.That(Posix.IsAlive(successor), Is.False, "the failed new supervisor is still running");
        var after = await supervisor.StatusAsync();
        Assert.That((int)after["supervisor"]!["pid"]!, Is.EqualTo(supervisor.Process.Pid));
        Assert.That(WorkerPidsOf(after), Is.EqualTo(WorkerPidsOf(before)), "the old supervisor's workers were touched");
        Assert.That((string?)after["supervisor"]!["lastUpgrade"]!["result"], Is.EqualTo("failed"));
        Assert.That(PidFileSupervisor(supervisor), Is.EqualTo(supervisor.Process.Pid));
        Assert.That(Directory.GetFiles(supervisor.Folder, $"*{successor}*"), Is.Empty, "files of the failed supervisor were left");
        var failedAt = DateTime.UtcNow;
        await Eventually.TrueAsync(() => load.Snapshot().Count(a => a.Started > failedAt) >= 10, SupervisorHarness.Patience);
        var answers = await load.StopAsync();
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a request failed during the failed upgrade");
        Assert.That(answers.Count(a => a.Started > failedAt), Is.GreaterThanOrEqualTo(10));
    }

    private static List<int> WorkerPidsOf(JsonObject status) => [.. SupervisorHarness.PidsListedIn(status).Order()];

    private static int PidFileSupervisor(SupervisorHarness supervisor) =>
        (int)JsonNode.Parse(File.ReadAllText(Path.Combine(supervisor.Folder, "supervisor.pids.json")))!["supervisor"]!["pid"]!;

    /// <summary>Receives until a message starting with <paramref name="prefix"/> arrives (bounded), and returns it.</summary>
    private static async Task<string> ReceiveUntilAsync(NotifySocketListener systemd, List<string> received, string prefix)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < SupervisorHarness.Patience)
        {
            var message = await systemd.ReceiveAsync(SupervisorHarness.Patience);
            received.Add(message);
            if (message.StartsWith(prefix, StringComparison.Ordinal))
            {
                return message;
            }
        }

        Assert.Fail($"no {prefix} within {SupervisorHarness.Patience}; so far:\n{string.Join("\n--\n", received)}");
        return string.Empty;
    }
}
