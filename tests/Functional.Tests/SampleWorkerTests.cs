using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>The shipped supervisor.json, serving the sample worker, exactly as the README runs it.</summary>
public sealed partial class SampleWorkerTests : FunctionalTest
{
    /// <summary>The sample worker's Release build, which the shipped config runs.</summary>
    private static readonly string ReleaseWorker = RepositoryPaths.InRepository("src/Worker/bin/Release/net10.0/Worker.dll");

    [Test]
    public async Task The_default_config_serves_the_sample_worker_from_every_worker_with_shared_users()
    {
        // Building the supervisor builds that too, but within `dotnet test Cluster.sln` MSBuild runs test assemblies
        // while it still builds, and on a clean clone that nested build was seen to finish only after the tests had
        // run: build it here when it is not there (.ci/run builds the solution first, so it is).
        if (!File.Exists(ReleaseWorker))
        {
            var build = await RunAsync("dotnet", ["build", RepositoryPaths.InRepository("src/Worker/Worker.csproj"), "-c", "Release", "-nologo", "--disable-build-servers", "-nodeReuse:false", "-p:UseSharedCompilation=false"], TimeSpan.FromMinutes(30), RepositoryPaths.Root);
            Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
        }

        var port = FreePort.Next();
        var supervisor = Track(SupervisorHarness.StartWith(
            ["start", "--config", RepositoryPaths.InRepository("supervisor.json"), "--workers", "2", "--listen", $"http://127.0.0.1:{port}"],
            TempFolder("sample"),
            port));
        await supervisor.WaitForReadyAsync(2);

        var seen = new Dictionary<int, int>();
        for (var i = 0; i < 200 && seen.Count < 2; i++)
        {
            var text = await supervisor.Http.GetStringAsync("/");
            var match = Hello().Match(text);
            Assert.That(match.Success, Is.True, text);
            seen[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.That(seen.Keys, Is.EquivalentTo(new[] { 0, 1 }));
        Assert.That(seen.Values, Is.EquivalentTo(supervisor.WorkerPids()));

        // Created through one worker, visible through the other: the workers share one SQLite file. Each worker is
        // reached on its own port (from status), so which one answered is known, not left to the round robin.
        var status = await RunSupervisorAsync(["status", "--json", "--config", RepositoryPaths.InRepository("supervisor.json")], supervisor.Folder);
        Assert.That(status.ExitCode, Is.EqualTo(0), status.Output);
        var ports = JsonNode.Parse(string.Join('\n', status.StandardOutput))!["workers"]!.AsArray().ToDictionary(w => (int)w!["id"]!, w => (int)w!["port"]!);
        foreach (var (writer, reader) in new[] { (0, 1), (1, 0) })
        {
            using var writing = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[writer]}"), Timeout = SupervisorHarness.Patience };
            using var reading = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[reader]}"), Timeout = SupervisorHarness.Patience };
            var email = $"ada-{Guid.NewGuid():N}@example.com";
            using var created = await writing.PostAsJsonAsync("/users", new { name = "Ada", email });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            Assert.That(Hello().Match(await reading.GetStringAsync("/")).Groups[1].Value, Is.EqualTo($"{reader}"), "the reading client talks to the other worker");
            var users = await reading.GetFromJsonAsync<JsonArray>("/users");
            Assert.That(users!.Select(u => (string?)u!["email"]), Does.Contain(email), $"created through worker {writer}, not seen by worker {reader}");
        }

        // The shipped config enables the load-balancer health path.
        using var health = await supervisor.Http.GetAsync("/_cluster/health");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((int?)JsonNode.Parse(await health.Content.ReadAsStringAsync())!["readyWorkers"], Is.EqualTo(2));

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(supervisor.WorkerPids().Where(Posix.IsAlive), Is.Empty);
    }

    [GeneratedRegex(@"^Hello from worker (\d+) \(pid (\d+)\)")]
    private static partial Regex Hello();
}
