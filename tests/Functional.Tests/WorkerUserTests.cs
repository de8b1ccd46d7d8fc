using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.TestSupport;

namespace Cluster.Functional.Tests;

/// <summary>
/// worker.user: a worker (and what it starts) runs as that user with its groups and home and no capability, while the
/// supervisor stays root; what cannot work is refused before anything starts, or reported as that worker's failed
/// start with the reason. Switching users needs root: those tests are skipped without it (CI runs as root).
/// </summary>
public sealed class WorkerUserTests : FunctionalTest
{
    private const string Nobody = "nobody (uid 65534, gid 65534)";

    [Test]
    public async Task A_worker_of_user_nobody_and_its_child_run_as_nobody_with_its_groups_and_home_and_no_capability_and_serve_through_the_front_end()
    {
        OtherUsers.AssumeRoot();
        var folder = PassableFolder("cwd");
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 1, new JsonObject { ["user"] = "nobody", ["cwd"] = folder }, new JsonObject { ["TEST_START_CHILD"] = "1" }));
        var pid = (await supervisor.WaitForAllWorkersAsync(1))[0];
        var child = (int)(await supervisor.Http.GetFromJsonAsync<JsonObject>("/"))!["child"]!;
        var groups = (await RunAsync("id", ["-G", "nobody"], SupervisorHarness.Patience)).Output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(g => uint.Parse(g, CultureInfo.InvariantCulture));

        foreach (var process in new[] { pid, child })
        {
            var status = ProcStatus.Read(process);
            Assert.That(status.Ids("Uid"), Is.All.EqualTo(65534u), $"pid {process}");
            Assert.That(status.Ids("Gid"), Is.All.EqualTo(65534u), $"pid {process}");
            Assert.That(status.Groups, Is.EquivalentTo(groups), $"pid {process}: initgroups");
            Assert.That((status.Capabilities("CapEff"), status.Capabilities("CapPrm"), status.Capabilities("CapAmb")), Is.EqualTo((0UL, 0UL, 0UL)), $"pid {process}");
        }

        var worker = ProcStatus.Read(pid);
        Assert.That((worker.Variable("HOME"), worker.Variable("USER"), worker.Variable("LOGNAME")), Is.EqualTo(("/nonexistent", "nobody", "nobody")));
        Assert.That(worker.WorkingDirectory, Is.EqualTo(folder));
        Assert.That(ProcStatus.Read(supervisor.Process.Pid).Ids("Uid"), Is.All.EqualTo(0u), "the supervisor keeps its own user");

        var json = await supervisor.StatusAsync();
        Assert.That((string?)json["workers"]![0]!["user"], Is.EqualTo("nobody"));
        var (checkExit, check) = await supervisor.CommandAsync("check");
        Assert.That(checkExit, Is.EqualTo(0), check);
        Assert.That(check, Does.Not.Contain("warning"), "the probe found nothing the user may not use");
        var (_, table) = await supervisor.CommandAsync("status");
        Assert.That(table, Does.Match($@"\n0\s+{pid}\s+nobody\s+ready"));
        var (_, top) = await supervisor.CommandAsync("top");
        Assert.That(top, Does.Match($@"\n0\s+{pid}\s+nobody\s+ready"));

        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        Assert.That(await Eventually.TrueAsync(() => !Posix.IsAlive(child), SupervisorHarness.Patience), Is.True, "the worker's child outlived it");
    }

    [Test]
    public async Task A_worker_of_another_user_reaches_its_notify_socket_which_no_other_user_may_use()
    {
        OtherUsers.AssumeRoot();
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 1, new JsonObject { ["user"] = "nobody", ["cwd"] = PassableFolder("cwd"), ["readiness"] = new JsonObject { ["notify"] = true } }));

        var pid = (await supervisor.WaitForAllWorkersAsync(1))[0];

        var socket = ProcStatus.Read(pid).Variable("NOTIFY_SOCKET")!;
        Assert.That(Path.GetDirectoryName(socket), Is.EqualTo(supervisor.Folder), "beside the control socket");
        Assert.That(File.GetUnixFileMode(supervisor.Folder), Is.EqualTo((UnixFileMode)Convert.ToInt32("711", 8)), "others may pass through, not list");
        var (owner, mode) = await OwnerAndModeAsync(socket);
        Assert.That((owner, mode), Is.EqualTo(("65534", "600")));
        Assert.That(supervisor.Process.Output, Does.Contain("Starting -> Ready: READY=1 on its notify socket passed"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_working_directory_the_user_may_not_enter_fails_that_workers_start_with_EACCES()
    {
        OtherUsers.AssumeRoot();
        var closed = TempFolder("closed");
        var supervisor = Start(SupervisorHarness.TestWorkerConfig(workers: 1, new JsonObject { ["user"] = "nobody", ["cwd"] = closed }));

        await supervisor.Process.WaitForLineAsync(
            $@"\[ERR\] worker 0 \[pid \d+\] Starting -> Exited: could not be started: cannot enter the working directory {closed} as {Escaped(Nobody)}: Permission denied \(EACCES\)",
            SupervisorHarness.Patience);
        var json = await supervisor.StatusAsync();
        Assert.That((string?)json["workers"]![0]!["lastExit"]!["description"], Does.Contain("Permission denied (EACCES)"));
        var (checkExit, check) = await supervisor.CommandAsync("check");
        Assert.That(checkExit, Is.EqualTo(0), check);
        Assert.That(check, Does.Contain($"supervisor: warning: $.worker.user: workers would not start: cannot enter the working directory {closed} as {Nobody}: Permission denied (EACCES)"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_program_the_user_may_not_execute_fails_that_workers_start_with_EACCES()
    {
        OtherUsers.AssumeRoot();
        var folder = PassableFolder("bin");
        var program = Path.Combine(folder, "server");
        File.WriteAllText(program, "#!/bin/sh\nexec sleep 600\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var supervisor = Start(new JsonObject { ["workers"] = 1, ["worker"] = new JsonObject { ["command"] = program, ["user"] = "nobody", ["cwd"] = folder } });

        await supervisor.Process.WaitForLineAsync(
            $@"\[ERR\] worker 0 \[pid \d+\] Starting -> Exited: could not be started: cannot execute {program} as {Escaped(Nobody)}: Permission denied \(EACCES\)",
            SupervisorHarness.Patience);
        var (checkExit, check) = await supervisor.CommandAsync("check");
        Assert.That(checkExit, Is.EqualTo(0), check);
        Assert.That(check, Does.Contain($"supervisor: warning: $.worker.user: workers would not start: cannot execute {program} as {Nobody}: Permission denied (EACCES)"));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    [TestCase("check")]
    [TestCase("start")]
    public async Task A_supervisor_that_may_not_switch_users_refuses_the_config_with_exit_2_and_the_reason(string command)
    {
        OtherUsers.AssumeRoot();
        var folder = PassableFolder("unprivileged");
        var path = Path.Combine(folder, "supervisor.json");
        await ConfigFiles.WriteAsync(path, new JsonObject { ["listen"] = $"http://127.0.0.1:{FreePort.Next()}", ["worker"] = new JsonObject { ["command"] = "dotnet", ["user"] = "root" } }.ToJsonString());

        var run = await RunAsync("setpriv", [.. OtherUsers.As(OtherUsers.Nobody), "dotnet", RepositoryPaths.SupervisorDll, command, "--config", path], SupervisorHarness.Patience, folder);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
        Assert.That(run.Output, Does.Contain($"$.worker.user: the supervisor runs as uid 65534 (gid 65534) without CAP_SETUID (to become the user), CAP_SETGID (to take its groups), CAP_KILL (to stop its processes), so it cannot start workers as root (uid 0, gid 0)"));
        Assert.That(run.Output, Does.Contain(path));
        Assert.That(SupervisorHarness.WorkerPidsIn(run.Lines), Is.Empty);
    }

    [Test]
    public async Task A_supervisor_that_is_not_root_but_holds_CAP_SETUID_CAP_SETGID_and_CAP_KILL_runs_its_workers_as_another_user()
    {
        var user = await OtherUsers.CreateAsync();
        var group = uint.Parse((await RunAsync("id", ["-g", user.Name], SupervisorHarness.Patience)).Output.Trim(), CultureInfo.InvariantCulture);
        var runtime = TempFolder("capable-run");
        await OtherUsers.ChownAsync(runtime, OtherUsers.Nobody);
        var config = SupervisorHarness.TestWorkerConfig(workers: 1, new JsonObject { ["user"] = user.Name, ["cwd"] = PassableFolder("cwd") });
        config["pidFile"] = Path.Combine(runtime, "supervisor.pids.json");
        config["control"] = new JsonObject { ["socket"] = Path.Combine(runtime, "control.sock") };
        const string Capabilities = "+setuid,+setgid,+kill";
        var supervisor = Track(SupervisorHarness.StartThrough(config, (args, folder) =>
        {
            // The config's folder, for the supervisor's user to read.
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
            return TestProcess.Start("setpriv", [.. OtherUsers.As(OtherUsers.Nobody), $"--inh-caps={Capabilities}", $"--ambient-caps={Capabilities}", "dotnet", RepositoryPaths.SupervisorDll, .. args], cwd: folder);
        }));

        try
        {
            var pid = (await supervisor.WaitForAllWorkersAsync(1))[0];

            var worker = ProcStatus.Read(pid);
            Assert.That(worker.Ids("Uid"), Is.All.EqualTo((uint)user.Uid));
            Assert.That(worker.Ids("Gid"), Is.All.EqualTo(group), "the group useradd made for it");
            Assert.That((worker.Capabilities("CapEff"), worker.Capabilities("CapAmb")), Is.EqualTo((0UL, 0UL)), "the worker holds none of the supervisor's capabilities");
            var self = ProcStatus.Read(supervisor.Process.Pid);
            Assert.That((self.Ids("Uid")[1], self.Capabilities("CapEff")), Is.EqualTo((65534u, 0xE0UL)), "the supervisor: nobody, with CAP_KILL, CAP_SETGID and CAP_SETUID");
            Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
        }
        finally
        {
            // The user can be removed only once none of its processes is left.
            await supervisor.KillLeftoversAsync();
            await user.DisposeAsync();
        }
    }

    [TestCase("""{ "command": "dotnet", "user": "cluster-no-such-user" }""", "$.worker.user: no user \"cluster-no-such-user\" on this machine")]
    [TestCase("""{ "command": "dotnet", "user": "root", "group": "cluster-no-such-group" }""", "$.worker.group: no group \"cluster-no-such-group\" on this machine")]
    [TestCase("""{ "command": "dotnet", "group": "root" }""", "$.worker.group: worker.group needs worker.user")]
    [TestCase("""{ "command": "dotnet", "user": "root", "cwd": "no-such-folder" }""", "$.worker.cwd: folder \"")]
    public async Task An_unknown_user_or_group_a_group_alone_or_a_missing_cwd_exits_2_naming_the_key(string worker, string message)
    {
        var folder = TempFolder("unknown-user");
        var path = Path.Combine(folder, "supervisor.json");
        await ConfigFiles.WriteAsync(path, $$"""{ "worker": {{worker}} }""");

        foreach (var command in new[] { "check", "start" })
        {
            var run = await RunSupervisorAsync([command, "--config", path], folder);

            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
            Assert.That(run.Output, Does.Contain(message));
            Assert.That(SupervisorHarness.WorkerPidsIn(run.Lines), Is.Empty);
        }
    }

    [Test]
    public async Task A_reload_or_SIGHUP_to_an_unknown_user_is_refused_and_the_old_workers_keep_serving()
    {
        var config = SupervisorHarness.TestWorkerConfig(workers: 2);
        var supervisor = Start(config);
        var before = await supervisor.WaitForAllWorkersAsync(2);
        var worker = (JsonObject)config["worker"]!.DeepClone();
        worker["user"] = "cluster-no-such-user";
        supervisor.RewriteConfig(new JsonObject { ["workers"] = 2, ["worker"] = worker, ["reload"] = new JsonObject { ["confirmAfter"] = "0s" } });

        var (exitCode, output) = await supervisor.CommandAsync("reload");
        supervisor.Process.Signal(Posix.SIGHUP);
        await supervisor.Process.WaitForLineAsync(@"\[ERR\] config reload \(SIGHUP\) rejected; generation 1 stays in force: \$\.worker\.user: no user ""cluster-no-such-user""", SupervisorHarness.Patience);

        Assert.That(exitCode, Is.Not.EqualTo(0), output);
        Assert.That(output, Does.Contain("reload refused: the config is invalid; generation 1 stays in force").And.Contain("$.worker.user: no user \"cluster-no-such-user\" on this machine"));
        var after = await supervisor.WaitForAllWorkersAsync(2);
        Assert.That(after, Is.EquivalentTo(before), "the running workers were replaced");
        Assert.That((int)(await supervisor.StatusAsync())["supervisor"]!["generation"]!, Is.EqualTo(1));
        Assert.That(await supervisor.StopAsync(), Is.EqualTo(0));
    }

    /// <summary>A fresh folder any user may pass through and read (0755), as a worker's folder of another user must be.</summary>
    private string PassableFolder(string purpose)
    {
        var folder = TempFolder(purpose);
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        return folder;
    }

    private async Task<(string Owner, string Mode)> OwnerAndModeAsync(string path)
    {
        var stat = await RunAsync("stat", ["-c", "%u %a", path], SupervisorHarness.Patience);
        var fields = stat.Output.Trim().Split(' ');
        return (fields[0], fields[1]);
    }

    private static string Escaped(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
