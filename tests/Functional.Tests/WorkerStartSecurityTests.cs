using System.Globalization;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// Workers start clean: no descriptor the supervisor inherited (its own listening socket from socket activation among
/// them), no socket-activation variables meant for the supervisor,
/// nothing left in $TMPDIR by the exec shim. The workers are `sleep` (never ready: each stays in Starting while the test
/// looks at it), so every descriptor, variable and file seen is the supervisor's doing, not the worker program's.
/// </summary>
public sealed class WorkerStartSecurityTests : FunctionalTest
{
    private const int Workers = 5;

    [Test]
    public async Task A_proxy_mode_worker_gets_only_0_1_2_no_LISTEN_variables_and_its_start_leaves_nothing_in_TMPDIR()
    {
        var (supervisor, tmp) = StartInheriting(frontEnd: null);
        var pids = await WorkersRunningSleepAsync(supervisor);
        var supervisorPid = SupervisorPid(supervisor);

        foreach (var pid in pids)
        {
            Assert.That(ProcFs.OpenDescriptors(pid), Is.EqualTo(new[] { 0, 1, 2 }), $"worker pid {pid}");
            var environment = ProcFs.Environment(pid);
            Assert.That(environment.Where(v => v.StartsWith("LISTEN_", StringComparison.Ordinal)), Is.Empty, $"worker pid {pid}");
            Assert.That(environment.Where(v => v.StartsWith("DOTNET_EnableDiagnostics", StringComparison.Ordinal)), Is.Empty, "the shim's own setting reached the worker");
            Assert.That(environment, Does.Contain($"SUPERVISOR_PID={supervisorPid}"));
        }

        // The supervisor's own runtime keeps its diagnostics socket and pipes (removed when it exits); none of another PID.
        var runtimeFiles = Directory.GetFileSystemEntries(tmp).Select(Path.GetFileName).Where(n => n!.StartsWith("dotnet-diagnostic-", StringComparison.Ordinal) || n.StartsWith("clr-debug-pipe-", StringComparison.Ordinal)).ToList();
        Assert.That(runtimeFiles.Where(n => !n!.Contains($"-{supervisorPid}-", StringComparison.Ordinal)), Is.Empty, $"left by {Workers} worker starts: {string.Join(", ", runtimeFiles)}");
        await StopAsync(supervisor);
    }

    [Test]
    public async Task A_shared_socket_worker_gets_0_1_2_and_the_socket_as_3_with_LISTEN_variables_of_its_own()
    {
        var (supervisor, _) = StartInheriting(frontEnd: "sharedSocket");
        var pids = await WorkersRunningSleepAsync(supervisor);

        foreach (var pid in pids)
        {
            Assert.That(ProcFs.OpenDescriptors(pid), Is.EqualTo(new[] { 0, 1, 2, 3 }), $"worker pid {pid}");
            Assert.That(ProcFs.SocketAt(pid, 3), Is.Not.Null, "fd 3 is the shared socket");
            var environment = ProcFs.Environment(pid);
            Assert.That(environment.Where(v => v.StartsWith("LISTEN_", StringComparison.Ordinal)).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "LISTEN_FDNAMES=http", "LISTEN_FDS=1", $"LISTEN_PID={pid}" }));
        }

        await StopAsync(supervisor);
    }

    /// <summary>
    /// Starts the supervisor as systemd's socket activation would (the test launcher, Launchers/socket_activate.py: the
    /// listening socket as descriptor 3, LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES), and with a file opened as descriptor
    /// 7 without close-on-exec, as a careless service manager might pass one.
    /// </summary>
    private (SupervisorHarness Supervisor, string Tmp) StartInheriting(string? frontEnd)
    {
        var tmp = TempFolder("tmpdir");
        File.SetUnixFileMode(tmp, (UnixFileMode)Convert.ToInt32("1777", 8));
        var inherited = Path.Combine(TempFolder("inherited"), "opened-by-the-shell");
        File.WriteAllText(inherited, "not for workers\n");
        var config = SupervisorHarness.TestWorkerConfig(workers: Workers, new JsonObject
        {
            ["command"] = "sleep",
            ["args"] = new JsonArray("600"),
            ["readiness"] = new JsonObject { ["timeout"] = "10m" },
        });
        if (frontEnd is not null)
        {
            config["frontEnd"] = frontEnd;
        }

        var port = FreePort.Next();
        config["listen"] = new JsonArray($"http://127.0.0.1:{port}");
        var supervisor = Track(SupervisorHarness.StartThrough(config, (args, folder) => TestProcess.Start(
            File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3",
            [RepositoryPaths.InRepository("tests/Functional.Tests/Launchers/socket_activate.py"), "--port", port.ToString(CultureInfo.InvariantCulture), "--name", "inherited", "--leak", inherited, "--", "dotnet", RepositoryPaths.SupervisorDll, .. args],
            new Dictionary<string, string> { ["TMPDIR"] = tmp },
            folder)));
        return (supervisor, tmp);
    }

    /// <summary>The supervisor's PID, as the launcher printed it.</summary>
    private static int SupervisorPid(SupervisorHarness supervisor) =>
        int.Parse(supervisor.Process.MatchingLines(@"^started (\d+)$").Single().Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>SIGTERM to the supervisor; the launcher exits with its exit code.</summary>
    private static async Task StopAsync(SupervisorHarness supervisor)
    {
        Posix.Signal(SupervisorPid(supervisor), Posix.SIGTERM);
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True, supervisor.Process.Output);
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(0), supervisor.Process.Output);
    }

    /// <summary>The workers' PIDs once each has become `sleep` (the exec shim has run and exec'd).</summary>
    private static async Task<IReadOnlyList<int>> WorkersRunningSleepAsync(SupervisorHarness supervisor)
    {
        await supervisor.Process.WaitForLineAsync("Stopped -> Starting", SupervisorHarness.Patience, skip: Workers - 1);
        var pids = supervisor.WorkerPids();
        Assert.That(pids, Has.Count.EqualTo(Workers));
        Assert.That(await Eventually.TrueAsync(() => pids.All(pid => ProcFs.Comm(pid) == "sleep"), SupervisorHarness.Patience), Is.True, supervisor.Process.Output);
        return pids;
    }
}
