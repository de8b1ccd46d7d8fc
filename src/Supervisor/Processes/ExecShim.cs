using System.Globalization;
using System.Runtime.InteropServices;
using Cluster.Contract;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// `supervisor __exec PARENT [OPTIONS] -- COMMAND ARGS...` (<see cref="ExecShimOptions"/>): runs in the new child
/// between fork and the worker program, which .NET's Process.Start gives no hook for. It asks the kernel to SIGKILL
/// this process when its parent dies (PR_SET_PDEATHSIG, kept across exec), starts a new session so the worker has its
/// own process group (terminal Ctrl+C reaches only the supervisor; with worker.killProcessGroup a stop reaches the
/// worker's children too), drops the ambient capabilities the supervisor may run with (systemd's
/// AmbientCapabilities=CAP_NET_BIND_SERVICE, for ports 80 and 443: workers listen on high loopback ports, or accept
/// from a socket the supervisor bound, and need none), then execs the worker in place: same PID. With --listen-fd it
/// also hands the worker the shared listening socket the systemd way (sd_listen_fds(3)): the socket becomes file
/// descriptor 3 and LISTEN_PID names this PID, which only this process can know before the exec. With --cpu it pins
/// the worker to that CPU (worker.cpuAffinity auto): set on the thread that execs, so the program and every thread it
/// starts inherit it.
/// <para>
/// With --user (worker.user) it becomes that user (<see cref="UserSwitch"/>) and enters the working directory again as
/// that user, so that a folder or program the user may not use fails here, with the reason (EACCES), written to
/// --status-fd (<see cref="ExecStatusPipe"/>) for the supervisor to report as that worker's failed start. With --probe
/// it stops short of the exec, and only says whether the user may run the program (`check`).
/// </para>
/// <para>
/// The worker starts clean. Every descriptor above 2 but the listening socket is marked close-on-exec (close_range(2),
/// or one by one from /proc/self/fd on kernels before 5.11): descriptors the supervisor inherited without
/// close-on-exec from whatever started it (a shell, a service manager) never reach a worker. And this shim is itself a
/// .NET program, whose runtime would leave a diagnostics socket (dotnet-diagnostic-PID-...-socket) and two debugger
/// FIFOs (clr-debug-pipe-PID-in/out) in $TMPDIR on every start, never removed, as the exec ends the runtime without
/// its clean-up: the shim runs with DOTNET_EnableDiagnostics=0, and puts back before the exec the value the worker is
/// to have (its own worker.env's, or the supervisor's), or none (--worker-diagnostics). Signals set to "ignore" and
/// a blocked signal mask, which exec keeps, are reset (<see cref="SignalDispositions"/>): every worker starts with
/// every signal at its default action.
/// </para>
/// </summary>
internal static partial class ExecShim
{
    public const string Verb = "__exec";

    /// <summary>The .NET runtime's switch for its diagnostics IPC, debugger and profiler (all of which make files in $TMPDIR).</summary>
    public const string DiagnosticsVariable = "DOTNET_EnableDiagnostics";

    private const int CLOSE_RANGE_CLOEXEC = 4;
    private const int F_SETFD = 2;
    private const int F_DUPFD_CLOEXEC = 1030;
    private const int FD_CLOEXEC = 1;
    private const int PR_SET_PDEATHSIG = 1;
    private const int X_OK = 1;

    private const int PR_CAP_AMBIENT = 47;

    private const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /// <summary>
    /// Wraps a start so that it goes through the shim; <paramref name="self"/> is how to run this binary, and
    /// <paramref name="options"/> what the shim is to do (the worker's diagnostics setting is worked out here).
    /// </summary>
    public static ChildProcessStartInfo Wrap(ChildProcessStartInfo target, IReadOnlyList<string> self, ExecShimOptions options)
    {
        // What the worker would have had without the shim: its own worker.env's value, else the supervisor's.
        var workerDiagnostics = target.Environment.TryGetValue(DiagnosticsVariable, out var configured) ? configured : Environment.GetEnvironmentVariable(DiagnosticsVariable);
        return target with
        {
            FileName = self[0],
            Arguments = [.. self.Skip(1), Verb, .. (options with { WorkerDiagnostics = workerDiagnostics }).ToArguments(), target.FileName, .. target.Arguments],
            Environment = new Dictionary<string, string>(target.Environment) { [DiagnosticsVariable] = "0" },
        };
    }

    /// <summary>The command line that runs this supervisor binary: its apphost, or `dotnet supervisor.dll`.</summary>
    public static IReadOnlyList<string> CurrentBinary()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the supervisor's own executable path is unknown");
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [host, typeof(ExecShim).Assembly.Location]
            : [host];
    }

    /// <summary>The shim's main; returns only if the worker could not be executed.</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 1 || args[0] != Verb || ExecShimOptions.Parse(args[1..], out var commandAt) is not { } options)
        {
            Console.Error.WriteLine($"usage: supervisor {Verb} {ExecShimOptions.Usage}");
            return 2;
        }

        commandAt++;
        if (!ArmParentDeath(options.ParentPid))
        {
            return 1;
        }

        SetSid();
        // Without ambient capabilities a non-root worker gets none across exec. Fails only on kernels before 4.3,
        // which have no ambient capabilities to drop.
        Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        if (options.Cpu is int pin && !CpuSet.PinCallingThread(pin))
        {
            // Not fatal: the worker runs unpinned (the CPU went offline, or a cpuset changed since the supervisor read it).
            Console.Error.WriteLine($"supervisor: cannot pin the worker to CPU {pin}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var command = args[commandAt];
        var asUser = options.RunAs is { } user ? $" as {user.Describe()}" : string.Empty;
        if (options.RunAs is { } runAs)
        {
            if (UserSwitch.Become(runAs) is { } problem)
            {
                return Fail(options, $"cannot start {command}{asUser}: {problem}", 126);
            }

            // A change of user clears the parent-death signal (prctl(2)): armed again, and the parent checked again.
            if (!ArmParentDeath(options.ParentPid))
            {
                return 1;
            }
        }

        // As the worker's user: its own right to enter the folder (and every folder above it) is what counts.
        if (options.WorkingDirectory is { } folder && ChangeDirectory(folder) != 0)
        {
            return Fail(options, $"cannot enter the working directory {folder}{asUser}: {Errno.Last()}", 126);
        }

        if (options.Probe)
        {
            // The kernel's own check of the program for this user (execute permission, and search on every folder
            // above it), without running it. X_OK as the real IDs, which are the user's now.
            return Access(command, X_OK) == 0 ? 0 : Fail(options, $"cannot execute {command}{asUser}: {Errno.Last()}", 127);
        }

        var argv = new nint[args.Length - commandAt + 1];
        for (var i = commandAt; i < args.Length; i++)
        {
            argv[i - commandAt] = Marshal.StringToCoTaskMemUTF8(args[i]);
        }

        // libc's environment, which execv passes on (.NET keeps its own copy for its own child processes).
        UnsetEnv(DiagnosticsVariable);
        if (options.WorkerDiagnostics is { } workerDiagnostics)
        {
            SetEnv(DiagnosticsVariable, workerDiagnostics, 1);
        }

        // Close-on-exec rather than closed now: the runtime of this process may still use its own until the exec.
        MarkCloseOnExecFrom(SocketActivation.FirstFd);
        if (options.ListenFd is int inherited)
        {
            // The status pipe must not be where the socket goes.
            if (options.StatusFd == SocketActivation.FirstFd && inherited != SocketActivation.FirstFd)
            {
                options = options with { StatusFd = Fcntl(SocketActivation.FirstFd, F_DUPFD_CLOEXEC, SocketActivation.FirstFd + 1) };
            }

            SetEnv(SocketActivation.ListenPid, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), 1);
            // Last, right before the exec: descriptor 3 belongs to the runtime of this process until then (the first
            // pipe it opens), and nothing of it is used any more once every argument is ready. dup2 leaves the new
            // descriptor without FD_CLOEXEC, so it survives the exec; the inherited number is closed so that the worker
            // holds the socket once. Already at 3, it only loses the close-on-exec flag set above.
            if (inherited == SocketActivation.FirstFd)
            {
                Fcntl(inherited, F_SETFD, 0);
            }
            else
            {
                if (Dup2(inherited, SocketActivation.FirstFd) < 0)
                {
                    return Fail(options, $"cannot pass the listening socket to {command} as fd {SocketActivation.FirstFd}: {Errno.Last()}", 126);
                }

                Close(inherited);
            }
        }

        SignalDispositions.ResetForExec();
        Exec(command, argv);
        // 127, as a shell reports a command it could not run.
        return Fail(options, $"cannot execute {command}{asUser}: {Errno.Last()}", 127);
    }

    /// <summary>
    /// Asks the kernel to SIGKILL this process when its parent dies; false when the parent has already died (before the
    /// signal was armed, so nobody would send it).
    /// </summary>
    private static bool ArmParentDeath(int parent)
    {
        Prctl(PR_SET_PDEATHSIG, PosixSignals.SIGKILL, 0, 0, 0);
        return GetParentPid() == parent;
    }

    /// <summary>
    /// Reports why the worker could not be started: to the supervisor through the status pipe, or on stderr when run by
    /// hand. <paramref name="reason"/> must be made before anything else makes a system call (errno).
    /// </summary>
    private static int Fail(ExecShimOptions options, string reason, int exitCode)
    {
        if (options.StatusFd is int fd)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(reason);
            if (Write(fd, bytes, (nuint)bytes.Length) == bytes.Length)
            {
                return exitCode;
            }
        }

        Console.Error.WriteLine($"supervisor: {reason}");
        return exitCode;
    }

    /// <summary>
    /// Marks every descriptor from <paramref name="first"/> up close-on-exec: close_range(2) with CLOSE_RANGE_CLOEXEC
    /// (Linux 5.11, glibc 2.34), else each open one listed in /proc/self/fd.
    /// </summary>
    private static void MarkCloseOnExecFrom(int first)
    {
        try
        {
            if (CloseRange((uint)first, uint.MaxValue, CLOSE_RANGE_CLOEXEC) == 0)
            {
                return;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // A C library without the wrapper.
        }

        foreach (var entry in Directory.GetFiles("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) && fd >= first)
            {
                Fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "chdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ChangeDirectory(string path);

    [LibraryImport("libc", EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "unsetenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetEnv(string name);

    [LibraryImport("libc", EntryPoint = "close_range", SetLastError = true)]
    private static partial int CloseRange(uint first, uint last, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte[] buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Exec(string path, nint[] argv);
}
