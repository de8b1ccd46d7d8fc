using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>log.file and log.workerFiles with the real binary: rolling JSON files, per-worker files, unwritable paths.</summary>
public sealed class LogFileTests : FunctionalTest
{
    [Test]
    public async Task The_log_file_is_JSON_lines_rolled_by_size_and_pruned_to_retainedFiles()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        config["log"] = new JsonObject
        {
            ["file"] = new JsonObject { ["path"] = "logs/supervisor.log", ["rollingInterval"] = "never", ["maxSize"] = "4KB", ["retainedFiles"] = 4 },
        };
        var supervisor = Start(config);
        var workers = await supervisor.WaitForAllWorkersAsync(2);
        // Each POST makes the worker print a line, and each line is a log event: enough to roll the file many times.
        for (var i = 0; i < 80; i++)
        {
            using var response = await supervisor.Http.PostAsync("/slow?ms=0", new StringContent("hello"));
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
        }

        var victim = workers[1];
        Posix.Signal(victim, Posix.SIGKILL);
        await supervisor.Process.WaitForLineAsync($@"worker 1 \[pid (?!{victim}\])\d+\] Starting -> Ready", SupervisorHarness.Patience);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));

        var folder = Path.Combine(supervisor.Folder, "logs");
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Has.Count.EqualTo(4), string.Join(", ", files));
        Assert.That(files, Has.All.Match(@"^supervisor_\d{3}\.log$"), "the first file (supervisor.log) and other early ones were deleted");
        Assert.That(files.Select(f => new FileInfo(Path.Combine(folder, f!)).Length), Has.All.LessThan(4096 + 2048), "each file stops at the first event past maxSize");

        var events = files.SelectMany(f => File.ReadAllLines(Path.Combine(folder, f!))).Select(Parse).ToList();
        Assert.That(events, Has.All.Matches<JsonObject>(e => e["Timestamp"] is not null && e["Level"] is not null && e["RenderedMessage"] is not null && e["Properties"] is JsonObject));
        var exited = events.Single(e => Property(e, "ToState") == "Exited" && Property(e, "FromState") == "Ready");
        Assert.That(Number(exited, "WorkerId"), Is.EqualTo(1));
        Assert.That(Number(exited, "Pid"), Is.EqualTo(victim));
        Assert.That(Property(exited, "Signal"), Is.EqualTo("SIGKILL"));
        Assert.That(exited["Level"]!.GetValue<string>(), Is.EqualTo("Warning"));
        Assert.That(exited["RenderedMessage"]!.GetValue<string>(), Does.StartWith($"worker 1 [pid {victim}] Ready -> Exited: killed by SIGKILL (out of memory?) after "));
        var backoff = events.Single(e => Property(e, "ToState") == "Backoff");
        Assert.That(Number(backoff, "NextDelayMs"), Is.InRange(80, 120));
        Assert.That(Number(backoff, "Restarts"), Is.EqualTo(1));
        Assert.That(events.Last()["RenderedMessage"]!.GetValue<string>(), Is.EqualTo("supervisor stopped"));
        // The console stays human-readable.
        Assert.That(supervisor.Process.Output, Does.Contain($"[WRN] worker 1 [pid {victim}] Ready -> Exited: killed by SIGKILL"));
    }

    [Test]
    public async Task Each_worker_writes_its_output_to_its_own_rolled_file_and_not_to_the_supervisor_log()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        config["log"] = new JsonObject
        {
            ["file"] = new JsonObject { ["path"] = "logs/supervisor.log", ["maxSize"] = "1KB", ["retainedFiles"] = 2, ["format"] = "text" },
            ["workerFiles"] = "logs/workers/",
        };
        var supervisor = Start(config);
        var workers = await supervisor.WaitForAllWorkersAsync(2);
        for (var i = 0; i < 80; i++)
        {
            using var response = await supervisor.Http.PostAsync("/slow?ms=0", new StringContent("hello"));
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
        }

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));

        var folder = Path.Combine(supervisor.Folder, "logs", "workers");
        foreach (var (id, pid) in workers)
        {
            var files = Directory.GetFiles(folder, $"worker-{id}-*").Select(Path.GetFileName).ToList();
            Assert.That(files, Has.Count.EqualTo(2), $"worker {id}'s file rolled at 1KB and kept 2: {string.Join(", ", files)}");
            Assert.That(files, Has.All.Match($@"^worker-{id}-\d{{8}}_\d{{3}}\.log$"));
            var lines = files.SelectMany(f => File.ReadAllLines(Path.Combine(folder, f!))).ToList();
            Assert.That(lines, Is.Not.Empty);
            Assert.That(lines, Has.All.Match($@"^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{{3}} \[INF\] worker {id} \[pid {pid}\] (out|err)\| "));
            Assert.That(lines, Has.Some.Contain($"test worker {id}: POST /slow received 5 bytes"));
        }

        var supervisorLog = string.Join('\n', Directory.GetFiles(Path.Combine(supervisor.Folder, "logs"), "supervisor*").Select(File.ReadAllText));
        Assert.That(supervisorLog, Does.Contain("supervisor stopped").And.Not.Contain("out|"));
        Assert.That(supervisor.Process.Output, Does.Contain("Starting -> Ready").And.Not.Contain("out|"));
    }

    [Test]
    public async Task An_unwritable_log_path_fails_at_start_with_exit_2_and_starts_nothing()
    {
        var folder = TempFolder("badlog");
        var blocker = Path.Combine(folder, "file.txt");
        await File.WriteAllTextAsync(blocker, "a file where the log folder should be");
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        config["listen"] = $"http://127.0.0.1:{FreePort.Next()}";
        config["pidFile"] = Path.Combine(folder, "supervisor.pids.json");
        config["control"] = new JsonObject { ["socket"] = Path.Combine(folder, "control.sock") };
        config["log"] = new JsonObject { ["file"] = new JsonObject { ["path"] = "file.txt/logs/supervisor.log" } };
        var path = Path.Combine(folder, "supervisor.json");
        await ConfigFiles.WriteAsync(path, config.ToJsonString());
        var expected = $"$.log.file.path: cannot open {blocker}/logs/supervisor.log for writing: {blocker} is a file, not a folder";

        var runs = await Task.WhenAll(RunSupervisorAsync(["start", "--config", path], folder), RunSupervisorAsync(["check", "--config", path], folder));
        var (supervisor, check) = (runs[0], runs[1]);

        Assert.That(supervisor.ExitCode, Is.EqualTo(2), supervisor.Output);
        Assert.That(supervisor.Output, Does.Contain(expected));
        Assert.That(SupervisorHarness.WorkerPidsIn(supervisor.Lines), Is.Empty);
        Assert.That(supervisor.Output, Does.Not.Contain("front end listening"));
        Assert.That(File.Exists(Path.Combine(folder, "supervisor.pids.json")), Is.False, "nothing was started, so no pid file");
        Assert.That(check.ExitCode, Is.EqualTo(2), check.Output);
        Assert.That(check.Output, Does.Contain(expected));
    }

    private static JsonObject Parse(string line) => JsonNode.Parse(line)?.AsObject() ?? throw new JsonException($"not a JSON object: {line}");

    private static string? Property(JsonObject logEvent, string name) =>
        logEvent["Properties"]![name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long Number(JsonObject logEvent, string name) => logEvent["Properties"]![name]!.GetValue<long>();
}
