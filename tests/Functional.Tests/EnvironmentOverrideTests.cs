using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>SUPERVISOR_* variables in the real process environment override the file.</summary>
public sealed class EnvironmentOverrideTests : FunctionalTest
{
    [Test]
    public async Task Check_reads_overrides_from_the_environment_and_warns_about_unknown_variables()
    {
        var folder = TempFolder("env");
        var config = Path.Combine(folder, "supervisor.json");
        await ConfigFiles.WriteAsync(config, """{ "workers": 2, "listen": "http://127.0.0.1:8080", "worker": { "command": "python3" } }""");

        var check = await RunSupervisorAsync(
            ["check", "--config", config],
            folder,
            new Dictionary<string, string?>
            {
                ["SUPERVISOR_WORKERS"] = "3",
                ["SUPERVISOR_LISTEN"] = "http://127.0.0.1:9191",
                ["SUPERVISOR_WORKRES"] = "4",
            });

        Assert.That(check.ExitCode, Is.EqualTo(0), check.Output);
        Assert.That(check.Output, Does.Contain("is valid: 3 worker(s)").And.Contain("listening on http://127.0.0.1:9191"));
        Assert.That(check.Output, Does.Contain("supervisor: warning: environment variable SUPERVISOR_WORKRES is not a setting and is ignored (did you mean SUPERVISOR_WORKERS?)"));
    }

    [Test]
    public async Task A_bad_value_in_the_environment_is_a_config_error_naming_the_variable()
    {
        var folder = TempFolder("env");
        var config = Path.Combine(folder, "supervisor.json");
        await ConfigFiles.WriteAsync(config, """{ "worker": { "command": "python3" } }""");

        var check = await RunSupervisorAsync(["check", "--config", config], folder, new Dictionary<string, string?> { ["SUPERVISOR_RESTART__MAXDELAY"] = "forever" });

        Assert.That(check.ExitCode, Is.EqualTo(2), check.Output);
        Assert.That(check.Output, Does.Contain("SUPERVISOR_RESTART__MAXDELAY: ").And.Contain("\"forever\""));
    }
}
