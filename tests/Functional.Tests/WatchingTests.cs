using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>Watching a running cluster from the terminal: `supervisor logs`, `status --worker` and `top`, through the real binary.</summary>
public sealed partial class WatchingTests : FunctionalTest
{
    private static readonly string[] NewCommands = ["logs", "top"];

    [Test]
    public async Task Logs_after_a_kill_9_show_the_exit_and_the_restart_and_one_slot_s_lines_are_only_its_own()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        var workers = await supervisor.WaitForAllWorkersAsync(2);
        Posix.Signal(workers[1], Posix.SIGKILL);
        await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid (?!{workers[1]}\])\d+\] Starting -> Ready", SupervisorHarness.Patience);

        var (exitCode, output) = await supervisor.CommandAsync("logs", "--lines", "20");

        Assert.That(exitCode, Is.EqualTo(0), output);
        var lines = output.Split('\n');
        Assert.That(lines, Has.Length.LessThanOrEqualTo(20));
        Assert.That(output, Does.Match($@"\[WRN\] worker 1 \[pid {workers[1]}\] Ready -> Exited: killed by SIGKILL \(out of memory\?\) after \S+ uptime"));
        Assert.That(output, Does.Match($@"\[INF\] worker 1 \[pid {workers[1]}\] Exited -> Backoff: restarting in \d+ms \(restart #1\)"));
        Assert.That(output, Does.Match(@"\[INF\] worker 1 \[pid \d+\] Backoff -> Starting: started on port \d+"));
        Assert.That(lines, Is.SubsetOf(supervisor.Process.Lines), "each line as the supervisor's console printed it");

        var (slotExit, slot) = await supervisor.CommandAsync("logs", "--worker", "1", "--lines", "1000");
        Assert.That(slotExit, Is.EqualTo(0), slot);
        var slotLines = slot.Split('\n');
        Assert.That(slotLines, Has.All.Match(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[\w{3}\] worker 1 \[pid [\d-]+\] "), "only slot 1's lines");
        Assert.That(slotLines, Has.Some.Contains("-> Exited"), "its lifecycle lines");
        Assert.That(slotLines, Has.Some.Contains($"out| test worker 1 listening on 127.0.0.1:"), "its output");
        Assert.That(slotLines, Has.Length.EqualTo(supervisor.Process.Lines.Count(l => l.Contains("] worker 1 [pid ", StringComparison.Ordinal))));

        var (bySocketExit, bySocket) = await SupervisorCommandAsync(TempFolder("watch-elsewhere"), "logs", "--socket", Path.Combine(supervisor.Folder, "control.sock"), "--lines", "5");
        Assert.That(bySocketExit, Is.EqualTo(0), bySocket);
        Assert.That(bySocket.Split('\n'), Has.Length.EqualTo(5).And.SubsetOf(supervisor.Process.Lines), "found by its socket from a folder without its config");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Logs_follow_started_before_a_kill_shows_it_as_it_happens_and_ends_with_exit_0_when_the_supervisor_stops()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        var workers = await supervisor.WaitForAllWorkersAsync(2);
        await using var follower = FollowerOf(supervisor);
        await using var jsonFollower = FollowerOf(supervisor, "--json");
        await follower.WaitForLineAsync(@"worker 1 \[pid \d+\] Starting -> Ready", SupervisorHarness.Patience);
        await jsonFollower.WaitForLineAsync(@"""RenderedMessage"":""worker 1 \[pid \d+\] Starting -> Ready", SupervisorHarness.Patience);

        // Both followers are live (each has shown a line logged after it connected): what follows must stream to them.
        Posix.Signal(workers[1], Posix.SIGKILL);
        await follower.WaitForLineAsync($@"worker 1 \[pid {workers[1]}\] Ready -> Exited: killed by SIGKILL", SupervisorHarness.Patience);
        await follower.WaitForLineAsync($@"worker 1 \[pid {workers[1]}\] Exited -> Backoff: restarting in", SupervisorHarness.Patience);
        var restart = await jsonFollower.WaitForLineAsync($@"""RenderedMessage"":""worker 1 \[pid {workers[1]}\] Exited -> Backoff", SupervisorHarness.Patience);
        Assert.That(JsonNode.Parse(jsonFollower.Lines.Single(l => l.Contains(restart.Value, StringComparison.Ordinal)))!["Properties"]!["ToState"]!.GetValue<string>(), Is.EqualTo("Backoff"));

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        foreach (var stream in new[] { follower, jsonFollower })
        {
            Assert.That(await stream.WaitForExitAsync(SupervisorHarness.Patience), Is.True, "the follower did not end when the supervisor stopped");
            Assert.That(stream.ExitCode, Is.EqualTo(0), stream.Output);
            Assert.That(stream.Lines, Has.Some.Contains("supervisor: the supervisor stopped; end of its log"));
        }

        Assert.That(follower.Lines, Has.Some.EndsWith("[INF] supervisor stopped"), "the supervisor's last line reached it before the stream ended");
    }

    [Test]
    public async Task A_follower_that_stops_reading_is_dropped_without_stalling_requests_or_growing_the_supervisor_s_memory()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        // Worker output to files: the flood below still reaches the ring (and the follower), not the test's console.
        config["log"] = new JsonObject { ["workerFiles"] = "logs/" };
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(2);
        await PrintAsync(supervisor, lines: 2000);
        var memoryBefore = ProcFs.ResidentBytes(supervisor.Process.Pid);

        using var stuck = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveBufferSize = 4096 };
        await stuck.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(supervisor.Folder, "control.sock")));
        await stuck.SendAsync(Encoding.ASCII.GetBytes("GET /v1/logs?follow=1&lines=0 HTTP/1.1\r\nHost: supervisor\r\n\r\n"));

        // The stuck client reads again the moment the supervisor says it dropped it: the last note of its stream is
        // offered only for a short grace (LogEndpoint.EndGrace), and the rounds below go on for a while after the drop.
        var afterTheDrop = Task.Run(async () =>
        {
            var drop = await supervisor.Process.WaitForLineAsync(@"\[WRN\] control: dropped a `supervisor logs -f` follower: it fell (\d+) lines behind", TimeSpan.FromMinutes(5));
            return (Drop: drop, Received: await ReadToEndAsync(stuck, SupervisorHarness.Patience));
        });

        // 100,000 lines of about 600 bytes each on the wire; the stuck follower reads none of them until it is dropped.
        for (var round = 0; round < 20; round++)
        {
            await PrintAsync(supervisor, lines: 5000);
            using var response = await supervisor.Http.GetAsync("/");
            Assert.That((int)response.StatusCode, Is.EqualTo(200), "a request through the front end failed while a follower was stuck");
        }

        var (dropped, received) = await afterTheDrop;
        Assert.That(dropped.Groups[1].Value, Is.EqualTo("2048"));
        Assert.That(received, Does.Contain("{\"end\":\"dropped\",\"message\":\"dropped: fell 2048 lines behind; reconnect with supervisor logs -f\"}"), "the note is the last line of its stream");
        var memoryAfter = ProcFs.ResidentBytes(supervisor.Process.Pid);
        TestContext.Out.WriteLine($"supervisor resident memory: {memoryBefore / 1048576.0:0.0} MB before, {memoryAfter / 1048576.0:0.0} MB after 100,000 lines");
        Assert.That(memoryAfter - memoryBefore, Is.LessThan(60L * 1024 * 1024), "the stuck follower's lines were kept");

        var (statusExit, _) = await supervisor.CommandAsync("status");
        Assert.That(statusExit, Is.EqualTo(0));
        var (logsExit, logs) = await supervisor.CommandAsync("logs", "--lines", "3");
        Assert.That(logsExit, Is.EqualTo(0));
        Assert.That(logs, Does.Contain("out| test worker"), "the ring has the workers' output though it goes to worker files");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Status_worker_after_three_crashes_lists_the_three_exits_with_their_signals_and_last_output_lines()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        await supervisor.WaitForAllWorkersAsync(2);
        var killed = new List<int>();
        for (var crash = 1; crash <= 3; crash++)
        {
            var row = (await supervisor.StatusAsync())["workers"]!.AsArray().Single(w => (int)w!["id"]! == 1 && (string?)w["state"] == "ready")!;
            var (pid, port) = ((int)row["pid"]!, (int)row["port"]!);
            using (var direct = new HttpClient { Timeout = SupervisorHarness.Patience })
            {
                (await direct.GetAsync($"http://127.0.0.1:{port}/print?lines=1&text=before-crash-{crash}")).Dispose();
            }

            await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid {pid}\] out\| test worker 1: before-crash-{crash} 1", SupervisorHarness.Patience);
            Posix.Signal(pid, Posix.SIGKILL);
            killed.Add(pid);
            await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid (?!{string.Join('|', killed)})\d+\] Starting -> Ready", SupervisorHarness.Patience);
        }

        var (exitCode, text) = await supervisor.CommandAsync("status", "--worker", "1");

        Assert.That(exitCode, Is.EqualTo(0), text);
        Assert.That(text, Does.StartWith("worker 1: ready, 3 restart(s), 3 in the last hour"));
        Assert.That(text, Does.Contain("last 3 exit(s), newest first:"));
        var exits = ExitLine().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.That(exits, Is.EqualTo(killed.AsEnumerable().Reverse()), text);
        for (var crash = 1; crash <= 3; crash++)
        {
            Assert.That(text, Does.Contain($"out| test worker 1: before-crash-{crash} 1"));
        }

        Assert.That(text.IndexOf("before-crash-3", StringComparison.Ordinal), Is.LessThan(text.IndexOf("before-crash-1", StringComparison.Ordinal)), "newest first");
        Assert.That(Regex.Matches(text, @"then: restarting in \d+ms \(restart #\d\)"), Has.Count.EqualTo(3));

        var (jsonExit, json) = await supervisor.CommandAsync("status", "--worker", "1", "--json");
        Assert.That(jsonExit, Is.EqualTo(0), json);
        var detail = JsonNode.Parse(json)!;
        var jsonExits = detail["exits"]!.AsArray();
        Assert.That(jsonExits.Select(e => (int)e!["pid"]!), Is.EqualTo(killed.AsEnumerable().Reverse()));
        Assert.That(jsonExits.Select(e => (string?)e!["signal"]), Is.All.EqualTo("SIGKILL"));
        Assert.That(jsonExits.Select(e => (string?)e!["then"]!["action"]), Is.All.EqualTo("restarted"));
        Assert.That(jsonExits.Select(e => (double)e!["uptimeSeconds"]!), Is.All.GreaterThan(0));
        Assert.That(jsonExits.Select(e => e!["lastOutput"]!.AsArray().Select(l => (string?)l).Last()), Is.EqualTo(new[] { 3, 2, 1 }.Select(n => $"out| test worker 1: before-crash-{n} 1")));
        Assert.That((int)detail["restartsLastHour"]!, Is.EqualTo(3));

        var status = await supervisor.StatusAsync();
        Assert.That(status["workers"]!.AsArray().Select(w => (int)w!["restartsLastHour"]!), Is.EqualTo(new[] { 0, 3 }));
        var (_, table) = await supervisor.CommandAsync("status");
        Assert.That(table, Does.Match(@"RESTARTS  RESTARTS 1H"));
        Assert.That(table, Does.Match(@"\n1\s+\d+\s+\S+\s+ready\s+\S+\s+3\s+3\s+SIGKILL, "));

        var (bySocketExit, bySocket) = await SupervisorCommandAsync(TempFolder("watch-elsewhere"), "status", "--worker", "0", "--socket", Path.Combine(supervisor.Folder, "control.sock"));
        Assert.That(bySocketExit, Is.EqualTo(0), bySocket);
        Assert.That(bySocket, Does.StartWith("worker 0: ready, 0 restart(s), 0 in the last hour").And.Contain("no exits yet"));
        var (unknownExit, unknown) = await supervisor.CommandAsync("status", "--worker", "9");
        Assert.That((unknownExit, unknown), Is.EqualTo((1, "supervisor: no worker 9: the worker ids are 0, 1")));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Top_in_a_terminal_shows_a_row_per_worker_and_leaves_on_q_restoring_the_terminal_and_without_one_prints_one_snapshot()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 2));
        var workers = await supervisor.WaitForAllWorkersAsync(2);

        var terminal = await RunAsync(
            "python3",
            [RepositoryPaths.InRepository("tests/Functional.Tests/Terminal/run_in_pty.py"), "--wait", "requests/s", "--keys", "q", "--timeout", "60", "--", "dotnet", RepositoryPaths.SupervisorDll, "top", "--config", supervisor.ConfigPath],
            TimeSpan.FromSeconds(90),
            cwd: supervisor.Folder);
        Assert.That(terminal.ExitCode, Is.EqualTo(0), terminal.Output);
        var run = JsonNode.Parse(terminal.StandardOutput[^1])!;
        var screen = (string)run["output"]!;

        Assert.That((bool)run["matched"]!, Is.True, $"top never showed its rates:\n{screen}");
        Assert.That((bool)run["killedByUs"]!, Is.False, $"top did not leave on q:\n{screen}");
        Assert.That((int?)run["exitCode"], Is.EqualTo(0), screen);
        Assert.That((bool)run["termiosRestored"]!, Is.True, "the terminal's settings were not restored");
        Assert.That(screen, Does.Contain("\u001b[?1049h"), "it did not use the alternate screen");
        Assert.That(screen.LastIndexOf("\u001b[?1049l", StringComparison.Ordinal), Is.GreaterThan(screen.LastIndexOf("\u001b[?1049h", StringComparison.Ordinal)), "it did not leave the alternate screen");
        Assert.That(screen.LastIndexOf("\u001b[?25h", StringComparison.Ordinal), Is.GreaterThan(screen.LastIndexOf("\u001b[?25l", StringComparison.Ordinal)), "the cursor was left hidden");
        var plain = AnsiSequence().Replace(screen, string.Empty);
        foreach (var (id, pid) in workers)
        {
            Assert.That(plain, Does.Match($@"\b{id}\s+{pid}\s+\S+\s+ready\s"), $"no row for worker {id}:\n{plain}");
        }

        Assert.That(plain, Does.Contain("front end:").And.Contain("p99").And.Contain("recent lifecycle lines"));

        var (exitCode, snapshot) = await SupervisorCommandAsync(TempFolder("watch-elsewhere"), "top", "--socket", Path.Combine(supervisor.Folder, "control.sock"));
        Assert.That(exitCode, Is.EqualTo(0), snapshot);
        Assert.That(snapshot, Does.Not.Contain("\u001b"), "escape sequences when not a terminal");
        Assert.That(snapshot, Does.Match(@"ID\s+PID\s+USER\s+STATE\s+UPTIME\s+RESTARTS\s+RESTARTS 1H\s+CPU\s+MEMORY\s+IN FLIGHT\s+REQ/S"));
        foreach (var (id, pid) in workers)
        {
            Assert.That(snapshot, Does.Match($@"\n{id}\s+{pid}\s+\S+\s+ready\s"));
        }

        Assert.That(snapshot, Does.Match(@"front end: [\d.]+ requests/s").And.Contain("recent lifecycle lines:").And.Contain("Starting -> Ready"));
        Assert.That(snapshot, Does.StartWith($"supervisor pid {supervisor.Process.Pid} (running)"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Every_new_command_has_help_with_examples_and_exit_codes_and_exits_3_when_no_supervisor_runs()
    {
        var folder = TempFolder("watch-cli");
        var socket = Path.Combine(folder, "nobody.sock");
        await ConfigFiles.WriteAsync(Path.Combine(folder, "supervisor.json"), new JsonObject { ["control"] = new JsonObject { ["socket"] = socket } }.ToJsonString());
        foreach (var command in NewCommands)
        {
            var (helpExit, help) = await SupervisorCommandAsync(folder, command, "--help");
            Assert.That(helpExit, Is.EqualTo(0), help);
            Assert.That(help, Does.Contain("Examples:").And.Contain($"supervisor {command}").And.Contain("Exit codes:").And.Contain("--config").And.Contain("--socket"));

            var (bySocket, bySocketOutput) = await SupervisorCommandAsync(folder, command, "--socket", socket);
            Assert.That((bySocket, bySocketOutput), Is.EqualTo((3, $"supervisor: no supervisor is running (no control socket at {socket})")));
            var (byConfig, byConfigOutput) = await SupervisorCommandAsync(folder, command, "--config", Path.Combine(folder, "supervisor.json"));
            Assert.That((byConfig, byConfigOutput), Is.EqualTo((3, $"supervisor: no supervisor is running (no control socket at {socket})")));
        }

        var (statusHelpExit, statusHelp) = await SupervisorCommandAsync(folder, "status", "--help");
        Assert.That(statusHelpExit, Is.EqualTo(0));
        Assert.That(statusHelp, Does.Contain("--worker").And.Contain("supervisor status --worker 1").And.Contain("Exit codes:"));
        var (workerExit, workerOutput) = await SupervisorCommandAsync(folder, "status", "--worker", "1", "--socket", socket);
        Assert.That(workerExit, Is.EqualTo(3), workerOutput);
        var (badLines, badLinesOutput) = await SupervisorCommandAsync(folder, "logs", "--lines", "-5", "--socket", socket);
        Assert.That(badLines, Is.EqualTo(2), badLinesOutput);
    }

    private static TestProcess FollowerOf(SupervisorHarness supervisor, params string[] extra) =>
        TestProcess.StartDotnet(RepositoryPaths.SupervisorDll, ["logs", "-f", "--lines", "50", "--config", supervisor.ConfigPath, .. extra], cwd: supervisor.Folder, marker: supervisor.Process.Marker);

    /// <summary>A `supervisor` command run to completion from <paramref name="folder"/> with exactly these arguments.</summary>
    private async Task<(int ExitCode, string Output)> SupervisorCommandAsync(string folder, params string[] args)
    {
        var command = await RunSupervisorAsync(args, folder);
        return (command.ExitCode, command.Output);
    }

    /// <summary>Makes each worker print <paramref name="lines"/> lines (through the front end, round robin).</summary>
    private static async Task PrintAsync(SupervisorHarness supervisor, int lines)
    {
        for (var worker = 0; worker < 2; worker++)
        {
            using var response = await supervisor.Http.GetAsync($"/print?lines={lines / 2}&text={new string('x', 60)}");
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
        }
    }

    /// <summary>Everything the socket still has to give, until the other side closes it (bounded).</summary>
    private static async Task<string> ReadToEndAsync(Socket socket, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) is var count and > 0)
            {
                received.Write(buffer, 0, count);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the supervisor did not close the dropped follower's connection within {timeout.TotalSeconds:0}s");
        }
        catch (SocketException)
        {
            // Reset by the supervisor: what arrived before counts.
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    [GeneratedRegex(@"  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \([^)]*\)  pid (\d+)  SIGKILL: killed by SIGKILL \(out of memory\?\) after \S+ uptime")]
    private static partial Regex ExitLine();

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[ -/]*[@-~]|[=>])")]
    private static partial Regex AnsiSequence();
}
