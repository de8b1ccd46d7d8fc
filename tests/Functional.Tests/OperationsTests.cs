using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>Operating a running cluster through the CLI and signals, under continuous load.</summary>
public sealed partial class OperationsTests : FunctionalTest
{
    [Test]
    public async Task Reload_under_continuous_load_replaces_every_worker_with_no_failed_request_and_never_fewer_than_N_minus_1_ready()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 3));
        var before = await supervisor.WaitForAllWorkersAsync(3);
        var load = LoadGenerator.Get(supervisor.Url);
        await load.WaitForAnswersAsync(20, what: "before the reload");

        var (exitCode, output) = await supervisor.CommandAsync("reload");
        var reloadedAt = DateTime.UtcNow;
        await load.WaitForAnswersAsync(20, a => a.Started > reloadedAt, "after the reload");
        var answers = await load.StopAsync();

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Match(@"reloaded 3 worker\(s\): 0 \(pid \d+\), 1 \(pid \d+\), 2 \(pid \d+\)"));
        Assert.That(answers, Has.Count.GreaterThan(50));
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "requests failed during the reload");
        var after = SupervisorHarness.PidsListedIn(await supervisor.StatusWhenAsync(s => !SupervisorHarness.PidsListedIn(s).Intersect(before.Values).Any(), "no old worker"));
        Assert.That(after, Has.Count.EqualTo(3));
        Assert.That(after.Intersect(before.Values), Is.Empty, "a slot was not replaced");
        Assert.That(before.Values.Where(Posix.IsAlive), Is.Empty, "an old worker is still running");
        Assert.That(MinimumReady(supervisor.Process.Lines), Is.GreaterThanOrEqualTo(2), "fewer than N-1 workers were ready at some point");
        Assert.That(answers.Where(a => a.Started > reloadedAt).Select(a => a.Pid).Distinct(), Is.SubsetOf(after), "only the new workers serve after the reload");
        Assert.That((await supervisor.ScrapeAsync()).Value("cluster_supervisor_reloads_total", ("result", "committed")), Is.EqualTo(1));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_reload_whose_new_worker_cannot_become_ready_leaves_the_old_workers_serving_and_fails_with_the_reason()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        var supervisor = Start(config);
        var before = await supervisor.WaitForAllWorkersAsync(2);
        var load = LoadGenerator.Get(supervisor.Url);
        supervisor.RewriteConfig(SupervisorHarness.TestWorkerConfig(workers: 2, env: new JsonObject { ["TEST_FAIL_AT_BOOT"] = "1" }));

        var (exitCode, output) = await supervisor.CommandAsync("reload");
        var failedAt = DateTime.UtcNow;
        await load.WaitForAnswersAsync(20, a => a.Started > failedAt, "after the failed reload");
        var answers = await load.StopAsync();

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Match(@"supervisor: reload stopped: the new worker 0 \(pid \d+\) exited with code 1 after \S+ uptime; 0 of 2 slot\(s\) had been replaced; the old workers keep serving"));
        Assert.That(output, Does.Contain("its last output:").And.Contain("err| test worker 0: failing at boot with exit code 1"));
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty);
        Assert.That(answers.Select(a => a.Pid).Distinct(), Is.EquivalentTo(before.Values));
        Assert.That(before.Values.All(Posix.IsAlive), Is.True);
        Assert.That((await supervisor.ScrapeAsync()).Value("cluster_supervisor_reloads_total", ("result", "failed")), Is.EqualTo(1));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Scale_up_and_down_under_continuous_load_fails_no_request()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        await supervisor.WaitForAllWorkersAsync(2);
        var load = LoadGenerator.Get(supervisor.Url);

        var up = await supervisor.CommandAsync("scale", "4");
        var status = await supervisor.StatusAsync();
        // The new workers are in rotation: the load reaches them before they are scaled away again.
        await load.WaitForAnswersAsync(1, a => a.WorkerId == 2, "from the new worker 2");
        await load.WaitForAnswersAsync(1, a => a.WorkerId == 3, "from the new worker 3");
        var down = await supervisor.CommandAsync("scale", "-3");
        var scaledDownAt = DateTime.UtcNow;
        await load.WaitForAnswersAsync(20, a => a.Started > scaledDownAt, "after the scale-down");
        var answers = await load.StopAsync();

        Assert.That(up, Is.EqualTo((0, "scaled up from 2 to 4 worker(s); all ready")));
        Assert.That(status["workers"]!.AsArray().Select(w => (string?)w!["state"]), Is.EqualTo(new[] { "ready", "ready", "ready", "ready" }));
        Assert.That(down, Is.EqualTo((0, "scaled down from 4 to 1 worker(s); removed workers drained and stopped")));
        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "requests failed while scaling");
        Assert.That(answers.Where(a => a.Started > scaledDownAt).Select(a => a.WorkerId).Distinct(), Is.EqualTo(new[] { 0 }), "only worker 0 serves after the scale-down");
        const string Drained = @"Ready -> Draining: scaled down to 1 worker\(s\)";
        await Eventually.TrueAsync(() => supervisor.Process.MatchingLines(Drained).Count >= 3, SupervisorHarness.Patience);
        Assert.That(supervisor.Process.MatchingLines(Drained), Has.Count.EqualTo(3));
        Assert.That(supervisor.Process.Output, Does.Not.Contain("sending SIGKILL"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task SIGHUP_with_a_broken_config_changes_nothing_and_with_a_new_count_scales()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        var supervisor = Start(config);
        var workers = await supervisor.WaitForAllWorkersAsync(2);

        await ConfigFiles.WriteAsync(supervisor.ConfigPath, "{ \"workers\": 3, ");
        supervisor.Process.Signal(Posix.SIGHUP);
        await supervisor.Process.WaitForLineAsync(@"\[ERR\] config reload \(SIGHUP\) rejected; generation 1 stays in force: .*invalid JSON", SupervisorHarness.Patience);
        var (_, located) = await supervisor.CommandAsync("status");
        Assert.That(located, Does.Contain("supervisor: warning: cannot read control.socket from"), "the CLI must say why it falls back to the default socket");
        var unchanged = await supervisor.StatusFromCommandAsync(bySocket: true);
        Assert.That((int)unchanged["supervisor"]!["generation"]!, Is.EqualTo(1));
        Assert.That(unchanged["workers"]!.AsArray().Select(w => (int)w!["pid"]!), Is.EquivalentTo(workers.Values));
        Assert.That((await supervisor.ScrapeAsync()).Value("cluster_supervisor_reloads_total", ("result", "refused")), Is.EqualTo(1));

        supervisor.RewriteConfig(SupervisorHarness.TestWorkerConfig(workers: 3));
        supervisor.Process.Signal(Posix.SIGHUP);
        await supervisor.Process.WaitForLineAsync(@"configuration generation 2 applied \(SIGHUP\): workers 2 -> 3", SupervisorHarness.Patience);
        var scaled = await supervisor.WaitForAllWorkersAsync(3);

        Assert.That(scaled[0], Is.EqualTo(workers[0]), "a scale must not restart the existing workers");
        Assert.That(scaled[1], Is.EqualTo(workers[1]));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task SIGTTIN_adds_a_worker_and_SIGTTOU_removes_one()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 1));
        await supervisor.WaitForAllWorkersAsync(1);

        supervisor.Process.Signal(Posix.SIGTTIN);
        await supervisor.WaitForAllWorkersAsync(2);
        supervisor.Process.Signal(Posix.SIGTTOU);
        await supervisor.Process.WaitForLineAsync(@"worker 1 \[pid \d+\] Exited -> Stopped", SupervisorHarness.Patience);

        Assert.That((int)(await supervisor.StatusAsync())["supervisor"]!["workersWanted"]!, Is.EqualTo(1));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Status_json_reports_the_supervisor_and_every_worker()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        var workers = await supervisor.WaitForAllWorkersAsync(2);
        for (var i = 0; i < 10; i++)
        {
            (await supervisor.Http.GetAsync("/")).Dispose();
        }

        var status = await supervisor.StatusFromCommandAsync();

        var self = status["supervisor"]!;
        Assert.That((int)self["pid"]!, Is.EqualTo(supervisor.Process.Pid));
        Assert.That((string?)self["phase"], Is.EqualTo("running"));
        Assert.That((string?)self["listen"], Is.EqualTo(supervisor.Url));
        Assert.That((string?)self["configFile"], Is.EqualTo(supervisor.ConfigPath));
        Assert.That((int)self["generation"]!, Is.EqualTo(1));
        Assert.That((int)self["workersWanted"]!, Is.EqualTo(2));
        Assert.That((double)self["uptimeSeconds"]!, Is.GreaterThan(0));
        var rows = status["workers"]!.AsArray();
        Assert.That(rows.Select(w => (int)w!["id"]!), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(rows.Select(w => (int)w!["pid"]!), Is.EqualTo(new[] { workers[0], workers[1] }));
        Assert.That(rows.Select(w => (string?)w!["state"]), Is.All.EqualTo("ready"));
        Assert.That(rows.Select(w => (long)w!["memoryBytes"]!), Is.All.GreaterThan(10_000_000));
        Assert.That(rows.Select(w => (double)w!["cpuPercent"]!), Is.All.InRange(0.0, 200.0));
        Assert.That(rows.Sum(w => (long)w!["requestsServed"]!), Is.GreaterThanOrEqualTo(10));
        Assert.That(rows.Select(w => w!["lastExit"]), Is.All.Null);

        Posix.Signal(workers[1], Posix.SIGKILL);
        await supervisor.WaitForReadyAsync(3);
        var restarted = (await supervisor.StatusFromCommandAsync())["workers"]!.AsArray()[1]!;
        Assert.That((int)restarted["restarts"]!, Is.EqualTo(1));
        Assert.That((string?)restarted["lastExit"]!["signal"], Is.EqualTo("SIGKILL"));
        Assert.That((string?)restarted["lastExit"]!["description"], Does.StartWith("killed by SIGKILL (out of memory?) after"));

        var (exitCode, table) = await supervisor.CommandAsync("status");
        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(table, Does.Contain($"supervisor pid {supervisor.Process.Pid} (running)").And.Contain("ID  PID").And.Contain("SIGKILL, "));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task The_control_socket_is_private_and_a_second_supervisor_on_it_refuses_to_start()
    {
        var socketFolder = TempFolder("socket");
        var socket = Path.Combine(socketFolder, "control.sock");
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["control"] = new JsonObject { ["socket"] = socket };
        // Another config file, so another pid file: only the socket is shared.
        var secondConfig = config.DeepClone().AsObject();
        var first = Start(config);
        await first.WaitForAllWorkersAsync(1);

        Assert.That(File.GetUnixFileMode(socket), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var second = Start(secondConfig);
        Assert.That(await second.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(second.Process.ExitCode, Is.EqualTo(2));
        Assert.That(second.Process.Output, Does.Contain($"a supervisor is already running on the control socket {socket}"));
        Assert.That(second.WorkerPids(), Is.Empty);

        Assert.That(await first.StopAsync(), Is.EqualTo(0));
        Assert.That(File.Exists(socket), Is.False, "the control socket outlived its supervisor");
    }

    [Test]
    public async Task Another_user_is_refused_on_the_control_socket()
    {
        Assume.That(Environment.UserName, Is.EqualTo("root"), "needs root to connect as another user");
        Assume.That(File.Exists("/usr/bin/curl") && File.Exists("/usr/bin/setpriv"), Is.True, "needs curl and setpriv");
        // Others may enter the folder (and not write it: the supervisor refuses a folder others can write).
        var socketFolder = TempFolder("socket");
        File.SetUnixFileMode(socketFolder, (UnixFileMode)0b111_101_101);
        var socket = Path.Combine(socketFolder, "control.sock");
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["control"] = new JsonObject { ["socket"] = socket };
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);
        // Open the file to everyone, so that only the supervisor's own check stands in the way.
        File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110);

        // curl as user "nobody" (65534); then as ourselves, to show the same request is answered for the right user.
        // And the CLI as nobody: told why, without a stack trace.
        var curls = await Task.WhenAll(
            TestCommand.RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "curl", "-sS", "--unix-socket", socket, "http://supervisor/v1/status"], SupervisorHarness.Patience, marker: supervisor.Process.Marker),
            TestCommand.RunAsync("curl", ["-sS", "--unix-socket", socket, "http://supervisor/v1/status"], SupervisorHarness.Patience, marker: supervisor.Process.Marker),
            TestCommand.RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", RepositoryPaths.SupervisorDll, "status", "--socket", socket], SupervisorHarness.Patience, socketFolder, new Dictionary<string, string?> { ["HOME"] = socketFolder }, supervisor.Process.Marker));
        var (nobody, owner, cli) = (curls[0], curls[1], curls[2]);

        Assert.That(nobody.ExitCode, Is.Not.EqualTo(0), nobody.Output);
        Assert.That(nobody.Output, Does.Not.Contain("\"supervisor\""), "another user got an answer from the control socket");
        Assert.That(owner.ExitCode, Is.EqualTo(0), owner.Output);
        Assert.That(owner.Output, Does.Contain("\"workersWanted\":1"));
        Assert.That(cli.ExitCode, Is.EqualTo(1), cli.Output);
        Assert.That(cli.Output, Does.Contain($"supervisor: the supervisor at {socket} closed the connection without answering: it answers only its own user and root"));
        Assert.That(cli.Lines, Has.None.Match(@"^\s+at \S"), "a stack trace");
        await supervisor.Process.WaitForLineAsync(@"control socket: refused a connection from uid 65534", SupervisorHarness.Patience);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [TestCase("status")]
    [TestCase("reload")]
    [TestCase("scale", "3")]
    [TestCase("stop")]
    public async Task A_control_command_with_no_supervisor_running_says_so_and_exits_3(params string[] command)
    {
        var folder = TempFolder("nothing");
        await ConfigFiles.WriteAsync(Path.Combine(folder, "supervisor.json"), """{ "worker": { "command": "dotnet" } }""");

        var process = Track(SupervisorHarness.StartWith([.. command, "--config", Path.Combine(folder, "supervisor.json")], folder, port: 0));

        Assert.That(await process.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(process.Process.ExitCode, Is.EqualTo(3));
        Assert.That(process.Process.Output, Does.Match(@"supervisor: no supervisor is running \(no control socket at /\S+\.sock\)"));
    }

    [Test]
    public async Task Stop_command_waits_until_the_supervisor_has_exited()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        await supervisor.WaitForAllWorkersAsync(2);

        var (exitCode, output) = await supervisor.CommandAsync("stop");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain($"supervisor pid {supervisor.Process.Pid} stopped"));
        Assert.That(Posix.IsAlive(supervisor.Process.Pid), Is.False, "the command returned before the supervisor exited");
        // Exited: what is left is to read the rest of its output.
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(supervisor.WorkerPids().Where(Posix.IsAlive), Is.Empty);
        Assert.That(supervisor.Process.Output, Does.Contain("received supervisor stop: stopping"));
    }

    [Test]
    public async Task Check_validates_without_starting_anything()
    {
        var folder = TempFolder("check");
        var good = Path.Combine(folder, "good.json");
        var bad = Path.Combine(folder, "bad.json");
        await ConfigFiles.WriteAsync(good, """{ "workers": 2, "worker": { "command": "dotnet" } }""");
        await ConfigFiles.WriteAsync(bad, """{ "workers": 0, "worker": { "comand": "dotnet" } }""");

        var valid = Track(SupervisorHarness.StartWith(["check", "--config", good], folder, port: 0));
        var invalid = Track(SupervisorHarness.StartWith(["check", "--config", bad], folder, port: 0));

        Assert.That(await valid.Process.WaitForExitAsync(SupervisorHarness.Patience) && await invalid.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
        Assert.That(valid.Process.ExitCode, Is.EqualTo(0));
        Assert.That(valid.Process.Output, Does.StartWith($"{good} is valid: 2 worker(s)"));
        Assert.That(invalid.Process.ExitCode, Is.EqualTo(2));
        Assert.That(invalid.Process.Output, Does.Contain($"supervisor: invalid configuration in {bad} (3 errors):")
            .And.Contain("$.workers: expected \"auto\" or an integer from 1 to 1024, got a number (0)")
            .And.Contain("$.worker.comand: unknown key (did you mean \"command\"?)"));
    }

    /// <summary>The fewest Ready workers at any point, replaying the supervisor's transition log lines in order.</summary>
    private static int MinimumReady(IEnumerable<string> lines)
    {
        var ready = new HashSet<string>();
        var minimum = int.MaxValue;
        var started = false;
        foreach (var line in lines)
        {
            var match = Transition().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var worker = $"{match.Groups["id"].Value}/{match.Groups["pid"].Value}";
            if (match.Groups["to"].Value == "Ready")
            {
                ready.Add(worker);
            }
            else if (match.Groups["from"].Value == "Ready")
            {
                ready.Remove(worker);
            }

            started |= line.Contains("rolling reload", StringComparison.Ordinal) || ready.Count == 3;
            if (started)
            {
                minimum = Math.Min(minimum, ready.Count);
            }
        }

        return minimum;
    }

    [GeneratedRegex(@"worker (?<id>\d+) \[pid (?<pid>\d+)\] (?<from>\w+) -> (?<to>\w+):")]
    private static partial Regex Transition();
}
