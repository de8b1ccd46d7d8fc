using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// What another local user can do to a supervisor through its run-time files: pre-create its runtime folder, plant links
/// where it writes, write a pid file that names others' processes, or listen where the CLI expects the supervisor.
/// </summary>
public sealed class RunTimeFileSecurityTests : FunctionalTest
{
    [Test]
    public async Task A_runtime_folder_made_by_another_user_is_refused_and_nothing_is_written_in_it()
    {
        await using var intruder = await OtherUsers.CreateAsync();
        // The supervisor runs as nobody with a $TMPDIR of the test's own (mode 1777, as /tmp), so its runtime folder is
        // $TMPDIR/cluster-65534; the intruder made that folder first, open to everyone to read.
        var tmp = TempFolder("tmpdir");
        File.SetUnixFileMode(tmp, (UnixFileMode)Convert.ToInt32("1777", 8));
        var runtime = Path.Combine(tmp, $"cluster-{OtherUsers.Nobody}");
        Directory.CreateDirectory(runtime);
        File.SetUnixFileMode(runtime, (UnixFileMode)Convert.ToInt32("755", 8));
        await OtherUsers.ChownAsync(runtime, intruder.Uid);
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["listen"] = $"http://127.0.0.1:{FreePort.Next()}";
        var configPath = Path.Combine(tmp, "supervisor.json");
        await ConfigFiles.WriteAsync(configPath, config.ToJsonString());

        var start = await RunAsync(
            "setpriv",
            [.. OtherUsers.As(OtherUsers.Nobody), "dotnet", RepositoryPaths.SupervisorDll, "start", "--config", configPath],
            SupervisorHarness.Patience,
            tmp,
            new Dictionary<string, string?> { ["TMPDIR"] = tmp, ["XDG_RUNTIME_DIR"] = null, ["HOME"] = tmp });

        Assert.That(start.ExitCode, Is.EqualTo(1), start.Output);
        Assert.That(start.Output, Does.Contain($"not starting: the runtime folder {runtime} is a folder owned by {intruder.Name} (uid {intruder.Uid}) with mode 0755; the supervisor uses it only when it is a folder of its own user (nobody (uid 65534)) with mode 0700"));
        Assert.That(start.Output, Does.Contain("find out who, remove it, and start again"));
        Assert.That(Directory.GetFileSystemEntries(runtime), Is.Empty, "the supervisor wrote into a folder another user controls");
        Assert.That(SupervisorHarness.WorkerPidsIn(start.Lines), Is.Empty);
    }

    [Test]
    public async Task Links_planted_at_the_pid_file_and_its_temporary_name_are_replaced_and_their_targets_untouched()
    {
        var folder = TempFolder("planted");
        var elsewhere = TempFolder("targets");
        var pidFile = Path.Combine(folder, "app.pids.json");
        var targets = new[] { Path.Combine(elsewhere, "secret-a"), Path.Combine(elsewhere, "secret-b") };
        foreach (var target in targets)
        {
            await File.WriteAllTextAsync(target, "root's own file\n");
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.CreateSymbolicLink(pidFile, targets[0]);
        File.CreateSymbolicLink(pidFile + ".tmp", targets[1]);
        // A dangling link where the socket goes is refused below; here the socket has its own path.
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["pidFile"] = pidFile;

        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        Assert.That(supervisor.Process.Output, Does.Contain($"ignoring the pid file {pidFile}: refusing to open {pidFile}: it is a symbolic link (not followed)"));
        foreach (var target in targets)
        {
            Assert.That(await File.ReadAllTextAsync(target), Is.EqualTo("root's own file\n"), $"{target} was written through a link");
            Assert.That(File.GetUnixFileMode(target), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        var written = new FileInfo(pidFile);
        Assert.That(written.LinkTarget, Is.Null, "the pid file is a regular file of its own now");
        Assert.That(written.UnixFileMode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That((int)JsonNode.Parse(await File.ReadAllTextAsync(pidFile))!["supervisor"]!["pid"]!, Is.EqualTo(supervisor.Process.Pid));
        Assert.That(File.Exists(pidFile + ".tmp"), Is.False);
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_link_or_a_file_at_the_control_socket_path_is_neither_followed_nor_removed()
    {
        var elsewhere = TempFolder("targets");
        var target = Path.Combine(elsewhere, "secret");
        await File.WriteAllTextAsync(target, "root's own file\n");
        var missing = Path.Combine(elsewhere, "created-through-a-link");
        foreach (var pointsTo in new[] { target, missing })
        {
            var folder = TempFolder("planted");
            var socket = Path.Combine(folder, "control.sock");
            File.CreateSymbolicLink(socket, pointsTo);
            var config = SupervisorHarness.TestWorkerConfig(workers: 1);
            config["control"] = new JsonObject { ["socket"] = socket };
            config["pidFile"] = Path.Combine(folder, "app.pids.json");

            var supervisor = Start(config);

            Assert.That(await supervisor.Process.WaitForExitAsync(SupervisorHarness.Patience), Is.True);
            Assert.That(supervisor.Process.ExitCode, Is.EqualTo(1), supervisor.Process.Output);
            Assert.That(supervisor.Process.Output, Does.Contain($"not starting: {socket} (control.socket) is not a socket"));
            Assert.That(new FileInfo(socket).LinkTarget, Is.EqualTo(pointsTo), "the planted link was removed");
            Assert.That(supervisor.WorkerPids(), Is.Empty);
        }

        Assert.That(await File.ReadAllTextAsync(target), Is.EqualTo("root's own file\n"));
        Assert.That(File.Exists(missing), Is.False, "a file was created through a dangling link");
    }

    [Test]
    public async Task A_pid_file_naming_live_processes_of_another_user_and_of_root_signals_neither()
    {
        OtherUsers.AssumeRoot();
        var folder = TempFolder("forged");
        await using var othersSupervisor = TestProcess.Start("setpriv", [.. OtherUsers.As(OtherUsers.Nobody), "sleep", "300"]);
        await using var othersProcess = TestProcess.Start("setpriv", [.. OtherUsers.As(OtherUsers.Nobody), "sleep", "300"]);
        await using var rootsProcess = TestProcess.Start("sleep", ["300"]);
        var processes = new[] { othersSupervisor, othersProcess, rootsProcess };
        // setpriv execs sleep: wait until each PID is sleep itself, so that the start time read is the one that stays.
        Assert.That(await Eventually.TrueAsync(() => processes.All(p => ProcFs.Comm(p.Pid) == "sleep"), SupervisorHarness.Patience), Is.True);
        // As written by whoever could write the pid file: every PID with its true start time, the "supervisor" alive.
        var pidFile = Path.Combine(folder, "app.pids.json");
        var forged = new JsonObject
        {
            ["supervisor"] = new JsonObject { ["pid"] = othersSupervisor.Pid, ["startTime"] = ProcFs.StartTime(othersSupervisor.Pid) },
            ["configFile"] = Path.Combine(folder, "supervisor.json"),
            ["workers"] = new JsonArray(
                new JsonObject { ["id"] = 0, ["pid"] = othersProcess.Pid, ["startTime"] = ProcFs.StartTime(othersProcess.Pid) },
                new JsonObject { ["id"] = 1, ["pid"] = rootsProcess.Pid, ["startTime"] = ProcFs.StartTime(rootsProcess.Pid) }),
        };
        await File.WriteAllTextAsync(pidFile, forged.ToJsonString());
        var config = SupervisorHarness.TestWorkerConfig(workers: 1);
        config["pidFile"] = pidFile;

        var supervisor = Start(config);
        await supervisor.WaitForAllWorkersAsync(1);

        Assert.That(supervisor.Process.Output, Does.Not.Contain("already running").And.Not.Contain("previous supervisor"));
        Assert.That(processes.Select(p => Posix.IsAlive(p.Pid)), Is.All.True, "a process the pid file named was signalled");
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(processes.Select(p => Posix.IsAlive(p.Pid)), Is.All.True);
    }

    [Test]
    public async Task The_CLI_refuses_a_control_socket_of_another_user_and_a_listener_running_as_another_user()
    {
        OtherUsers.AssumeRoot();
        var folder = TempFolder("impostor");
        // A socket file owned by nobody, with a listener (ours) that would answer anything.
        var socketPath = Path.Combine(folder, "control.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen();
        await OtherUsers.ChownAsync(socketPath, OtherUsers.Nobody);
        var accepted = listener.AcceptAsync();

        var stop = await RunSupervisorAsync(["stop", "--socket", socketPath], folder);

        Assert.That(stop.ExitCode, Is.EqualTo(1), stop.Output);
        Assert.That(stop.Output, Does.Contain($"supervisor: refusing to use {socketPath}: the socket belongs to nobody (uid 65534), not to root, so no supervisor of yours made it; nothing was sent"));
        Assert.That(stop.Lines, Has.None.Match(@"^\s+at \S"), "a stack trace");
        Assert.That(accepted.IsCompleted, Is.False, "the CLI connected to a socket it should have refused");

        // A socket file owned by root, but the process listening on it runs as nobody (it made the socket in a folder
        // it may write, and root's file is what it renamed there): refused on the peer's credentials.
        var open = TempFolder("open");
        File.SetUnixFileMode(open, (UnixFileMode)Convert.ToInt32("1777", 8));
        var impostorPath = Path.Combine(open, "control.sock");
        const string Script = "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.bind(sys.argv[1]); s.listen()\nprint('listening', flush=True)\nc,_=s.accept()\nprint('received', len(c.recv(65536)), 'bytes', flush=True)\n";
        await using var impostor = TestProcess.Start("setpriv", [.. OtherUsers.As(OtherUsers.Nobody), "/usr/bin/python3", "-c", Script, impostorPath]);
        await impostor.WaitForLineAsync("listening", SupervisorHarness.Patience);
        await OtherUsers.ChownAsync(impostorPath, 0);

        var status = await RunSupervisorAsync(["status", "--socket", impostorPath], folder);

        Assert.That(status.ExitCode, Is.EqualTo(1), status.Output);
        Assert.That(status.Output, Does.Contain($"supervisor: refusing to talk to {impostorPath}: the process listening there runs as nobody (uid 65534), not as root; nothing was sent"));
        Assert.That(status.Lines, Has.None.Match(@"^\s+at \S"), "a stack trace");
        await impostor.WaitForLineAsync("received 0 bytes", SupervisorHarness.Patience);

        // But a service user's socket in the folder root gave it (systemd's User= with RuntimeDirectory=: /run/cluster,
        // the service user's, mode 0700, in root's /run) is the service's: root's CLI talks to it.
        var run = TempFolder("run");
        File.SetUnixFileMode(run, (UnixFileMode)Convert.ToInt32("755", 8));
        var service = Path.Combine(run, "cluster");
        Directory.CreateDirectory(service, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await OtherUsers.ChownAsync(service, OtherUsers.Nobody);
        var servicePath = Path.Combine(service, "control.sock");
        await using var serviceListener = TestProcess.Start("setpriv", [.. OtherUsers.As(OtherUsers.Nobody), "/usr/bin/python3", "-c", Script, servicePath]);
        await serviceListener.WaitForLineAsync("listening", SupervisorHarness.Patience);

        var toService = await RunSupervisorAsync(["status", "--socket", servicePath], folder);

        await serviceListener.WaitForLineAsync(@"received [1-9]\d* bytes", SupervisorHarness.Patience);
        Assert.That(toService.Output, Does.Not.Contain("refusing"));
    }
}
