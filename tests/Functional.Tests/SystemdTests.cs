using System.Diagnostics;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>`supervisor start` as a Type=notify service, against a datagram socket standing in for systemd's.</summary>
public sealed class SystemdTests : FunctionalTest
{
    private static readonly string[] SystemdVariables = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"];

    [Test]
    public async Task Sd_notify_messages_arrive_in_order_READY_RELOADING_READY_STOPPING_with_watchdog_pings_and_workers_never_see_the_socket()
    {
        using var systemd = NotifySocketListener.AtPath(Path.Combine(TempFolder("systemd"), "notify.sock"));
        var received = new List<string>();
        var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = systemd.Address, ["WATCHDOG_USEC"] = "1000000" };
        // As systemd does it: WATCHDOG_PID is the service's own PID, which the shell keeps when it execs the supervisor.
        var supervisor = Track(SupervisorHarness.StartThrough(
            SupervisorHarness.TestWorkerConfig(workers: 2),
            (args, folder) => TestProcess.Start("/bin/sh", ["-c", "WATCHDOG_PID=$$; export WATCHDOG_PID; exec dotnet \"$@\"", "sh", RepositoryPaths.SupervisorDll, .. args], environment, folder)));

        var ready = await NextStateAsync(systemd, received, "READY=1");
        Assert.That(ready, Is.EqualTo("READY=1\nSTATUS=2 of 2 workers ready"));
        var status = await supervisor.StatusAsync();
        Assert.That(status["workers"]!.AsArray().Select(w => (string?)w!["state"]), Is.EqualTo(new[] { "ready", "ready" }));
        var workerPids = status["workers"]!.AsArray().Select(w => (int)w!["pid"]!).ToList();
        foreach (var pid in workerPids)
        {
            var inherited = ProcFs.Environment(pid);
            Assert.That(inherited, Has.Some.StartsWith($"{TestProcess.MarkerVariable}="), "the worker's environment could not be read");
            Assert.That(inherited.Where(v => SystemdVariables.Any(name => v.StartsWith(name + "=", StringComparison.Ordinal))), Is.Empty, $"worker pid {pid} inherited systemd's variables");
        }

        var config = SupervisorHarness.TestWorkerConfig(workers: 2, env: new JsonObject { ["RELEASE"] = "2" });
        supervisor.RewriteConfig(config);
        supervisor.Process.Signal(1);
        var reloading = (await NextStateAsync(systemd, received, "RELOADING=1")).Split('\n');
        Assert.That(reloading[1], Does.Match(@"^MONOTONIC_USEC=\d+$"));
        Assert.That(reloading[2], Is.EqualTo("STATUS=reloading (SIGHUP): 2 of 2 workers ready"));
        Assert.That(await NextStateAsync(systemd, received, "READY=1"), Is.EqualTo("READY=1\nSTATUS=reload committed: generation 2; 2 of 2 workers ready"));
        await supervisor.Process.WaitForLineAsync(@"rolling reload done: 2 worker\(s\) replaced", SupervisorHarness.Patience);
        // READY=1 comes once every slot's new worker is ready; the old ones may still be finishing their requests then.
        var reloaded = await supervisor.StatusAsync();
        var readyPids = reloaded["workers"]!.AsArray().Where(w => (string?)w!["state"] == "ready").Select(w => (int)w!["pid"]!).ToList();
        Assert.That(readyPids, Has.Count.EqualTo(2).And.None.AnyOf(workerPids), $"READY=1 before every worker was replaced: {reloaded}");

        Assert.That(received, Has.Some.EqualTo("WATCHDOG=1"));
        await WatchdogPingsAsync(systemd, received, 2);

        supervisor.Process.Signal(Posix.SIGTERM);
        Assert.That(await NextStateAsync(systemd, received, "STOPPING=1"), Does.StartWith("STOPPING=1\nSTATUS=stopping (SIGTERM): finishing in-flight requests"));
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True, supervisor.Process.Output);
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(0));
        Assert.That(supervisor.Process.Output, Does.Contain($"systemd: notifying {systemd.Address} (READY, RELOADING, STOPPING, STATUS); watchdog: WATCHDOG=1 every 500ms (WatchdogSec=1s)"));
    }

    /// <summary>Receives until the next state message (READY, RELOADING, STOPPING), which must be <paramref name="expected"/>.</summary>
    private static async Task<string> NextStateAsync(NotifySocketListener systemd, List<string> received, string expected)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < SupervisorHarness.Patience)
        {
            var message = await systemd.ReceiveAsync(SupervisorHarness.Patience);
            received.Add(message);
            if (message == "WATCHDOG=1" || message.StartsWith("STATUS=", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.That(message.Split('\n')[0], Is.EqualTo(expected), $"notifications out of order; so far:\n{string.Join("\n--\n", received)}");
            return message;
        }

        Assert.Fail($"no {expected} within {SupervisorHarness.Patience}; so far:\n{string.Join("\n--\n", received)}");
        return string.Empty;
    }

    private static async Task WatchdogPingsAsync(NotifySocketListener systemd, List<string> received, int count)
    {
        var seen = 0;
        for (var attempt = 0; attempt < 50 && seen < count; attempt++)
        {
            // A ping is due every 500ms; anything but pings and status lines is out of place here.
            var message = await systemd.ReceiveAsync(SupervisorHarness.Patience);
            received.Add(message);
            Assert.That(message == "WATCHDOG=1" || message.StartsWith("STATUS=", StringComparison.Ordinal), Is.True, $"unexpected notification: {message}");
            seen += message == "WATCHDOG=1" ? 1 : 0;
        }

        Assert.That(seen, Is.EqualTo(count), $"watchdog pings; received:\n{string.Join("\n--\n", received)}");
    }

    [Test]
    public async Task The_capability_to_bind_low_ports_stays_with_the_supervisor_and_never_reaches_a_worker()
    {
        // As systemd's AmbientCapabilities=CAP_NET_BIND_SERVICE starts it (setpriv sets the same ambient set, then execs).
        var supervisor = Track(SupervisorHarness.StartThrough(
            SupervisorHarness.TestWorkerConfig(workers: 2),
            (args, folder) => TestProcess.Start("setpriv", ["--inh-caps", "+net_bind_service", "--ambient-caps", "+net_bind_service", "dotnet", RepositoryPaths.SupervisorDll, .. args], cwd: folder)));
        var workers = await supervisor.WaitForAllWorkersAsync(2);

        Assert.That(AmbientCapabilities(supervisor.Process.Pid), Is.EqualTo("0000000000000400"), "CAP_NET_BIND_SERVICE (bit 10)");
        Assert.That(workers.Values.Select(AmbientCapabilities), Is.EqualTo(new[] { "0000000000000000", "0000000000000000" }));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    private static string? AmbientCapabilities(int pid) => ProcFs.StatusField(pid, "CapAmb");
}
