using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// systemd's socket activation of the supervisor (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES), with a launcher standing in
/// for systemd (Launchers/socket_activate.py): it holds the listening socket, passes it as fd 3, and starts the
/// supervisor again on it when it exits, as `systemctl restart` does with a .socket unit.
/// </summary>
public sealed class SocketActivationTests : FunctionalTest
{
    private static readonly string Launcher = RepositoryPaths.InRepository("tests/Functional.Tests/Launchers/socket_activate.py");

    // /usr/bin's: a pyenv shim on PATH may print its own lines or pick another interpreter.
    private static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    [Test]
    public async Task A_restart_on_the_inherited_socket_refuses_no_connection_and_answers_every_request()
    {
        var port = FreePort.Next();
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        config["listen"] = new JsonArray($"http://127.0.0.1:{port}");
        var supervisor = Track(SupervisorHarness.StartThrough(config, (args, folder) => Activate(folder, port, starts: 2, name: null, args)));
        await supervisor.WaitForReadyAsync(2);
        var first = await supervisor.StatusAsync();
        Assert.That((string?)first["supervisor"]!["sockets"], Is.EqualTo("systemd"));
        var firstPid = (int)first["supervisor"]!["pid"]!;
        var firstWorkers = supervisor.WorkerPids();

        // While nothing accepts (the first supervisor stopping, the second starting), connections wait in the queue of
        // the socket the launcher holds: a request may take seconds, so the clients wait long.
        var load = LoadGenerator.Get(supervisor.Url, concurrency: 2);
        await Eventually.TrueAsync(() => load.Snapshot().Count(a => !a.Failed) >= 20, SupervisorHarness.Patience);
        Posix.Signal(firstPid, Posix.SIGTERM);
        var second = int.Parse((await supervisor.Process.WaitForLineAsync(@"^started (\d+)$", SupervisorHarness.Patience, skip: 1)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(second, Is.Not.EqualTo(firstPid));
        await supervisor.WaitForReadyAsync(4);
        var restartedAt = DateTime.UtcNow;
        Assert.That(await Eventually.TrueAsync(() => load.Snapshot().Count(a => a.Started > restartedAt && !a.Failed) >= 20, SupervisorHarness.Patience), Is.True, "the restarted supervisor served nothing");
        var answers = await load.StopAsync();

        Assert.That(answers.Where(a => a.Failed).Select(a => $"{a.Status} {a.Error}"), Is.Empty, "a request failed or a connection was refused across the restart");
        var secondWorkers = supervisor.WorkerPids().Except(firstWorkers).ToList();
        Assert.That(secondWorkers, Has.Count.EqualTo(2));
        Assert.That(answers.Select(a => a.Pid).Intersect(secondWorkers), Is.Not.Empty, "the second supervisor's workers answered nothing");
        var status = await supervisor.StatusAsync();
        Assert.That(((int)status["supervisor"]!["pid"]!, (string?)status["supervisor"]!["sockets"]), Is.EqualTo((second, "systemd")));
        Assert.That(supervisor.Process.Output, Does.Contain($"listening sockets: http://127.0.0.1:{port} (from systemd); accepting on them once the workers are ready"));

        var (stopped, output) = await supervisor.CommandAsync("stop");
        Assert.That(stopped, Is.EqualTo(0), output);
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True, "the launcher did not exit after its last start");
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(0), supervisor.Process.Output);
    }

    [Test]
    public async Task Sockets_that_do_not_match_the_config_refuse_the_start_with_exit_2_naming_them()
    {
        // A socket on another port than "listen": it matches nothing, and the listener has no socket.
        var port = FreePort.Next();
        var other = FreePort.Next();
        var wrongPort = await RefusedAsync(port, other, name: null);
        Assert.That(wrongPort, Does.Contain($"not starting: the sockets passed by systemd do not match the config: fd 3 on 127.0.0.1:{other} matches no address of the config (listen http://127.0.0.1:{port})"));
        Assert.That(wrongPort, Does.Contain($"listen http://127.0.0.1:{port} has no socket among those systemd passed (fd 3 on 127.0.0.1:{other}): add a ListenStream= for it to the .socket unit, or remove it from listen"));

        // The right address, but named for another entry (FileDescriptorName=metrics.listen).
        var named = await RefusedAsync(port, port, name: "metrics.listen");
        Assert.That(named, Does.Contain($"fd 3 (metrics.listen) on 127.0.0.1:{port} is named for metrics.listen, which the config does not set"));
    }

    /// <summary>Starts the supervisor once through the launcher with a socket on <paramref name="socketPort"/>; it must exit 2.</summary>
    private async Task<string> RefusedAsync(int listenPort, int socketPort, string? name)
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["listen"] = new JsonArray($"http://127.0.0.1:{listenPort}");
        var supervisor = Track(SupervisorHarness.StartThrough(config, (args, folder) => Activate(folder, socketPort, starts: 1, name, args)));
        Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True, supervisor.Process.Output);
        Assert.That(supervisor.Process.ExitCode, Is.EqualTo(2), supervisor.Process.Output);
        Assert.That(supervisor.WorkerPids(), Is.Empty, "a worker was started");
        return supervisor.Process.Output;
    }

    private static TestProcess Activate(string folder, int port, int starts, string? name, string[] supervisorArgs) =>
        TestProcess.Start(
            Python,
            [Launcher, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--starts", starts.ToString(System.Globalization.CultureInfo.InvariantCulture), .. name is null ? Array.Empty<string>() : ["--name", name], "--", "dotnet", RepositoryPaths.SupervisorDll, .. supervisorArgs],
            cwd: folder);
}
