using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>A broken config or bad usage: one clear message, exit code 2, nothing started.</summary>
public sealed class BadConfigTests : FunctionalTest
{
    private static IEnumerable<TestCaseData> BrokenConfigs()
    {
        yield return new TestCaseData("{ \"workers\": 2,, }", "invalid JSON at line 1, column 16").SetName("invalid JSON");
        yield return new TestCaseData("""{ "workers": 2, "wrokers": 3, "worker": { "command": "dotnet" } }""", "$.wrokers: unknown key (did you mean \"workers\"?)").SetName("unknown key");
        yield return new TestCaseData("""{ "workers": 2, "worker": { "command": "dotnet", "args": "x.dll" } }""", "$.worker.args: expected an array of strings").SetName("wrong type");
        yield return new TestCaseData("""{ "workers": 0, "worker": { "command": "dotnet" } }""", "$.workers: expected \"auto\" or an integer from 1 to 1024, got a number (0)").SetName("workers out of range");
        yield return new TestCaseData("""{ "listen": "http//:8080", "worker": { "command": "dotnet" } }""", "$.listen: expected a URL such as \"http://0.0.0.0:80\" or \"https://0.0.0.0:443\"").SetName("unparseable listen");
        yield return new TestCaseData("""{ "workers": 2 }""", "$.worker.command: required").SetName("missing command");
        yield return new TestCaseData("""{ "worker": { "command": "no-such-server-xyz" } }""", "$.worker.command: \"no-such-server-xyz\" was not found on PATH").SetName("command not found");
    }

    [TestCaseSource(nameof(BrokenConfigs))]
    public async Task A_broken_config_exits_2_with_the_message_and_starts_nothing(string json, string message)
    {
        var folder = TempFolder("badconfig");
        var path = Path.Combine(folder, "supervisor.json");
        await ConfigFiles.WriteAsync(path, json);

        var supervisor = await RunSupervisorAsync(["start", "--config", path], folder);

        Assert.That(supervisor.ExitCode, Is.EqualTo(2), supervisor.Output);
        Assert.That(supervisor.Output, Does.Contain(message));
        Assert.That(supervisor.Output, Does.Contain(path));
        Assert.That(SupervisorHarness.WorkerPidsIn(supervisor.Lines), Is.Empty);
        Assert.That(supervisor.Output, Does.Not.Contain("front end listening"));
    }

    [Test]
    public async Task A_missing_config_file_exits_2_and_says_how_to_name_one()
    {
        var folder = TempFolder("badconfig");

        var supervisor = await RunSupervisorAsync(["start"], folder);

        Assert.That(supervisor.ExitCode, Is.EqualTo(2));
        Assert.That(supervisor.Output, Does.Contain($"supervisor: {Path.Combine(folder, "supervisor.json")}: file not found (use --config to name another file)"));
    }

    [TestCase(new[] { "start", "--workers", "0" }, "--workers: expected \"auto\" or an integer from 1 to 1024, got a number (0)")]
    [TestCase(new[] { "start", "--listen", "ftp://0.0.0.0:21" }, "--listen: expected a URL")]
    [TestCase(new[] { "start", "--listen", "https://0.0.0.0:443" }, "--listen: https://0.0.0.0:443 is an https:// listener, and there is no \"tls\" section")]
    [TestCase(new[] { "start", "--listen", "http://127.0.0.1:8080", "--listen", "http://127.0.0.1:8080" }, "--listen[1]: port 8080 is already used by http://127.0.0.1:8080 (--listen[0])")]
    [TestCase(new[] { "start", "--no-such-flag" }, "Unrecognized command or argument '--no-such-flag'")]
    [TestCase(new[] { "stat" }, "Unrecognized command or argument 'stat'")]
    [TestCase(new string[0], "Required command was not provided")]
    public async Task Bad_usage_exits_2_with_a_message(string[] args, string message)
    {
        var folder = TempFolder("usage");
        await ConfigFiles.WriteAsync(Path.Combine(folder, "supervisor.json"), new JsonObject { ["worker"] = new JsonObject { ["command"] = "dotnet" } }.ToJsonString());

        var supervisor = await RunSupervisorAsync(args, folder);

        Assert.That(supervisor.ExitCode, Is.EqualTo(2), supervisor.Output);
        Assert.That(supervisor.Output, Does.Contain(message));
        Assert.That(SupervisorHarness.WorkerPidsIn(supervisor.Lines), Is.Empty);
    }

    [Test]
    public async Task Help_describes_start_and_exits_0()
    {
        var supervisor = await RunSupervisorAsync(["start", "--help"], TempFolder("help"));

        Assert.That(supervisor.ExitCode, Is.EqualTo(0));
        Assert.That(supervisor.Output, Does.Contain("--config").And.Contain("--workers").And.Contain("--listen"));
        Assert.That(Posix.IsAlive(supervisor.Pid), Is.False);
    }
}
