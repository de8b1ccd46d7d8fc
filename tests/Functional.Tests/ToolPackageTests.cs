using System.Text.RegularExpressions;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>`dotnet pack` makes a .NET tool; installed in a tool path, `supervisor` runs from any folder.</summary>
/// <remarks>
/// It packs the binaries the test run was built from (`--no-build`, in the test run's own configuration): packing only
/// reads them, and writes the package into the test's own folder, so it runs beside the other tests.
/// </remarks>
public sealed partial class ToolPackageTests : FunctionalTest
{
    /// <summary>A pack and a tool install, on a machine busy with the other tests.</summary>
    private static readonly TimeSpan BuildPatience = TimeSpan.FromMinutes(30);

    [Test]
    public async Task The_packed_tool_installs_and_runs_from_any_folder()
    {
        var folder = TempFolder("tool");
        var packages = Path.Combine(folder, "packages");
        var tools = Path.Combine(folder, "tools");
        var project = Path.Combine(folder, "project");
        Directory.CreateDirectory(project);

        // No build servers: they would outlive the test (and the teardown proves nothing does).
        // --no-build: the package is made of the binaries this test run was built from (a second, Release, compile of
        // the same sources took two minutes of a loaded CI machine and proved nothing more about packing).
        var pack = await RunAsync("dotnet", ["pack", RepositoryPaths.InRepository("src/Supervisor/Supervisor.csproj"), "--no-build", "-c", RepositoryPaths.Configuration, "-o", packages, "-nologo", "--disable-build-servers", "-nodeReuse:false"], folder);
        Assert.That(pack.ExitCode, Is.EqualTo(0), pack.Output);
        Assert.That(Directory.GetFiles(packages, "Cluster.Supervisor.*.nupkg"), Has.Length.EqualTo(1));

        // No other source is needed: the tool has no package dependencies (failed remote sources are tolerated, for offline machines).
        var install = await RunAsync("dotnet", ["tool", "install", "Cluster.Supervisor", "--tool-path", tools, "--add-source", packages, "--ignore-failed-sources"], folder);
        Assert.That(install.ExitCode, Is.EqualTo(0), install.Output);
        var supervisor = Path.Combine(tools, "supervisor");

        var version = await RunAsync(supervisor, ["--version"], project);
        var built = await RunAsync("dotnet", [RepositoryPaths.SupervisorDll, "--version"], project);
        Assert.That(version.ExitCode, Is.EqualTo(0), version.Output);
        Assert.That(version.Output.Trim(), Does.Match(VersionPattern()));
        Assert.That(version.Output.Trim().Split('+')[0], Is.EqualTo(built.Output.Trim().Split('+')[0]), "the installed tool is not the version this repository builds");

        // From a folder of its own, with its own supervisor.json: the default --config is ./supervisor.json.
        await ConfigFiles.WriteAsync(Path.Combine(project, "supervisor.json"), """{ "workers": 2, "worker": { "command": "python3", "args": ["-m", "http.server", "{port}", "--bind", "127.0.0.1"] } }""");
        var check = await RunAsync(supervisor, ["check"], project);
        Assert.That(check.ExitCode, Is.EqualTo(0), check.Output);
        Assert.That(check.Output, Does.Contain(Path.Combine(project, "supervisor.json") + " is valid: 2 worker(s)"));

        var help = await RunAsync(supervisor, ["start", "--help"], project);
        Assert.That(help.Output, Does.Contain("Examples:").And.Contain("supervisor start --config"));
    }

    private Task<CommandOutput> RunAsync(string command, string[] args, string cwd) => RunAsync(command, args, BuildPatience, cwd);

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9a-f]+)?$")]
    private static partial Regex VersionPattern();
}
