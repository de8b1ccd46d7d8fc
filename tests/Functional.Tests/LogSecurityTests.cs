using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// What reaches the logs cannot be turned against whoever reads or owns them: log files are never opened through a
/// link, nor kept in a folder other users can write; client data cannot forge a line or send escape sequences; and a
/// header the front end passes on unchanged is no proxy error.
/// </summary>
public sealed class LogSecurityTests : FunctionalTest
{
    private const UnixFileMode Mode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    private const UnixFileMode Mode0750 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    [Test]
    public async Task A_link_named_like_a_log_file_is_not_followed_and_the_start_is_refused_and_new_files_are_0640()
    {
        var folder = TempFolder("logs");
        var logs = Path.Combine(folder, "logs");
        Directory.CreateDirectory(logs);
        var target = Path.Combine(TempFolder("targets"), "secret");
        await File.WriteAllTextAsync(target, "root's own file\n");
        var today = DateTime.Now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["listen"] = $"http://127.0.0.1:{FreePort.Next()}";
        config["pidFile"] = Path.Combine(folder, "supervisor.pids.json");
        config["control"] = new JsonObject { ["socket"] = Path.Combine(folder, "control.sock") };
        config["log"] = new JsonObject { ["file"] = new JsonObject { ["path"] = "logs/supervisor.log" }, ["workerFiles"] = "logs/workers/" };
        var path = Path.Combine(folder, "supervisor.json");
        await ConfigFiles.WriteAsync(path, config.ToJsonString());

        foreach (var (link, setting) in new[] { (Path.Combine(logs, $"supervisor-{today}.log"), "log.file.path"), (Path.Combine(logs, "workers", $"worker-0-{today}.log"), "log.workerFiles") })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, target);
            var runs = await Task.WhenAll(RunSupervisorAsync(["start", "--config", path], folder), RunSupervisorAsync(["check", "--config", path], folder));

            foreach (var run in runs)
            {
                Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
                Assert.That(run.Output, Does.Contain($"{link} is a symbolic link: the supervisor writes its logs only to regular files and never follows a link ({setting}); remove it"));
            }

            Assert.That(SupervisorHarness.WorkerPidsIn(runs[0].Lines), Is.Empty);
            Assert.That(await File.ReadAllTextAsync(target), Is.EqualTo("root's own file\n"), "written through the link");
            File.Delete(link);
        }

        // Without the links: new files are 0640, a new folder 0750.
        Directory.Delete(Path.Combine(logs, "workers"));
        var supervisor = Track(SupervisorHarness.StartWith(["start", "--config", path], folder, (int)new Uri((string)config["listen"]!).Port));
        await supervisor.WaitForAllWorkersAsync(1);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(Directory.GetFiles(logs, "supervisor-*.log"), Is.Not.Empty);
        Assert.That(Directory.GetFiles(logs, "supervisor-*.log").Select(File.GetUnixFileMode), Has.All.EqualTo(Mode0640));
        Assert.That(File.GetUnixFileMode(Path.Combine(logs, "workers")), Is.EqualTo(Mode0750));
        Assert.That(Directory.GetFiles(Path.Combine(logs, "workers")), Is.Not.Empty);
        Assert.That(Directory.GetFiles(Path.Combine(logs, "workers")).Select(File.GetUnixFileMode), Has.All.EqualTo(Mode0640));
    }

    [Test]
    public async Task A_log_folder_other_users_can_write_is_refused()
    {
        var folder = TempFolder("logs");
        var shared = Path.Combine(folder, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("1777", 8));
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["log"] = new JsonObject { ["file"] = new JsonObject { ["path"] = "shared/supervisor.log" } };
        var path = Path.Combine(folder, "supervisor.json");
        await ConfigFiles.WriteAsync(path, config.ToJsonString());

        var check = await RunSupervisorAsync(["check", "--config", path], folder);

        Assert.That(check.ExitCode, Is.EqualTo(2), check.Output);
        Assert.That(check.Output, Does.Contain($"$.log.file.path: cannot open {shared}/supervisor.log for writing: the folder {shared} (its folder) is a folder owned by root (uid 0) with mode 1777: other users could replace the supervisor's files in it"));
        Assert.That(Directory.GetFileSystemEntries(shared), Is.Empty);
    }

    [Test]
    public async Task A_path_with_newline_return_and_escape_gives_one_access_log_line_with_them_escaped_everywhere()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["accessLog"] = new JsonObject { ["enabled"] = true };
        config["log"] = new JsonObject { ["file"] = new JsonObject { ["path"] = "supervisor.log", ["rollingInterval"] = "never" } };
        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        using (var response = await supervisor.Http.GetAsync("/x%0a2026-12-01 10:00:00.000 [WRN] forged%0d%1b[31mred%1b]0;title%07"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        const string Escaped = @"/x\x0A2026-12-01 10:00:00.000 [WRN] forged\x0D\x1B[31mred\x1B]0;title\x07";
        await supervisor.Process.WaitForLineAsync(System.Text.RegularExpressions.Regex.Escape($"[INF] GET {Escaped} 404 "), SupervisorHarness.Patience);
        Assert.That(supervisor.Process.Lines, Has.None.Contain("\u001b").And.None.StartWith("2026-12-01 10:00:00.000"));
        Assert.That(supervisor.Process.Lines.Count(l => l.Contains("forged", StringComparison.Ordinal)), Is.EqualTo(1));

        var (exitCode, logs) = await supervisor.CommandAsync("logs", "--lines", "1000");
        Assert.That(exitCode, Is.EqualTo(0), logs);
        Assert.That(logs.Split('\n').Where(l => l.Contains("forged", StringComparison.Ordinal)), Has.Exactly(1).Contain($"GET {Escaped} 404 "));
        var (jsonExit, json) = await supervisor.CommandAsync("logs", "--json", "--lines", "1000");
        Assert.That(jsonExit, Is.EqualTo(0), json);
        var access = json.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!).Single(e => ((string?)e["RenderedMessage"])?.Contains("forged", StringComparison.Ordinal) == true);
        Assert.That((string?)access["Properties"]!["Path"], Is.EqualTo(Escaped));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        var file = await File.ReadAllLinesAsync(Path.Combine(supervisor.Folder, "supervisor.log"));
        Assert.That(file.Where(l => l.Contains("forged", StringComparison.Ordinal)).Select(l => (string?)JsonNode.Parse(l)!["Properties"]!["Path"]), Is.EqualTo(new[] { Escaped }));
    }

    [Test]
    public async Task A_header_value_with_UTF8_bytes_reaches_the_worker_unchanged_and_is_no_proxy_error()
    {
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 1));
        await supervisor.WaitForAllWorkersAsync(1);
        using var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = new Uri(supervisor.Url), Timeout = SupervisorHarness.Patience };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.TryAddWithoutValidation("X-File-Name", "résumé ✓.pdf");

        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That((string?)JsonNode.Parse(body)!["X-File-Name"], Is.EqualTo("résumé ✓.pdf"), "the worker (which reads header values as UTF-8) got other bytes");
        var scrape = await supervisor.ScrapeAsync();
        Assert.That(scrape.Named("cluster_frontend_proxy_errors_total").Sum(s => s.Value), Is.EqualTo(0));
        Assert.That(supervisor.Process.Output, Does.Not.Contain("proxy error"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }
}
