using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Tests.Processes;

/// <summary>
/// The exec shim (this build's supervisor.dll, run for real) tells the supervisor through its status pipe why a start
/// failed, with the errno's name; a start that goes through leaves the pipe empty. Becoming another user needs root:
/// the functional tests (WorkerUserTests) cover that.
/// </summary>
public sealed class ExecShimStartFailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("cluster-shim-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task A_program_without_the_execute_permission_is_reported_with_EACCES_and_exit_code_127()
    {
        var script = Path.Combine(_folder, "server");
        File.WriteAllText(script, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var exit = await RunThroughShimAsync(script, new ExecShimOptions(Environment.ProcessId));

        Assert.That((exit.StartFailure, exit.ExitCode), Is.EqualTo(($"cannot execute {script}: Permission denied (EACCES)", 127)));
    }

    [Test]
    public async Task A_working_directory_that_cannot_be_entered_is_reported_with_ENOENT_and_exit_code_126()
    {
        var gone = Path.Combine(_folder, "gone");

        var exit = await RunThroughShimAsync("/bin/true", new ExecShimOptions(Environment.ProcessId, WorkingDirectory: gone));

        Assert.That((exit.StartFailure, exit.ExitCode), Is.EqualTo(($"cannot enter the working directory {gone}: No such file or directory (ENOENT)", 126)));
    }

    [Test]
    public async Task A_program_that_runs_leaves_nothing_in_the_pipe()
    {
        var exit = await RunThroughShimAsync("/bin/sh", new ExecShimOptions(Environment.ProcessId, WorkingDirectory: _folder), "-c", "exit 3");

        Assert.That((exit.StartFailure, exit.ExitCode), Is.EqualTo(((string?)null, 3)));
    }

    [Test]
    public async Task A_probe_asks_the_kernel_whether_the_program_could_run_and_runs_nothing()
    {
        var script = Path.Combine(_folder, "server");
        var ran = Path.Combine(_folder, "ran");
        File.WriteAllText(script, $"#!/bin/sh\ntouch {ran}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var probe = new ExecShimOptions(Environment.ProcessId, WorkingDirectory: _folder, Probe: true);

        var refused = await RunThroughShimAsync(script, probe);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var allowed = await RunThroughShimAsync(script, probe);

        Assert.That((refused.StartFailure, refused.ExitCode), Is.EqualTo(($"cannot execute {script}: Permission denied (EACCES)", 127)));
        Assert.That((allowed.StartFailure, allowed.ExitCode), Is.EqualTo(((string?)null, 0)));
        Assert.That(File.Exists(ran), Is.False, "the probe ran the program");
    }

    [Test]
    public void The_options_read_back_as_written()
    {
        var options = new ExecShimOptions(41, ListenFd: 9, Cpu: 1, WorkerDiagnostics: "1", StatusFd: 12, RunAs: new ShimUser("www-data", 33, 65534), WorkingDirectory: "/srv/my app", Probe: true);

        var read = ExecShimOptions.Parse([.. options.ToArguments(), "/usr/bin/server", "--port", "8000"], out var commandAt);

        Assert.That(read, Is.EqualTo(options));
        Assert.That(commandAt, Is.EqualTo(options.ToArguments().Count()));
        Assert.That(ExecShimOptions.Parse(["41", "--user", "www-data:33", "--", "/usr/bin/server"], out _), Is.Null, "a user without its group");
        Assert.That(ExecShimOptions.Parse(["41", "--status-fd", "x", "--", "/usr/bin/server"], out _), Is.Null);
        Assert.That(ExecShimOptions.Parse(["41", "--"], out _), Is.Null, "no command");
    }

    private async Task<ProcessExitStatus> RunThroughShimAsync(string program, ExecShimOptions options, params string[] args)
    {
        var status = ExecStatusPipe.Create();
        ChildProcess child;
        try
        {
            var target = new ChildProcessStartInfo(program, args, new Dictionary<string, string>(), _folder);
            child = ChildProcess.Start(ExecShim.Wrap(target, ExecShim.CurrentBinary(), options with { StatusFd = status.WriteFd }), _ => { }, TimeProvider.System, status);
        }
        finally
        {
            status.CloseWriteEnd();
        }

        using (child)
        {
            return await child.Exited.WaitAsync(Patience);
        }
    }
}
