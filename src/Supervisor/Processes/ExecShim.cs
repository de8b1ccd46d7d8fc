using System.Globalization;
using System.Runtime.InteropServices;
using Cluster.Contract;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// `supervisor __exec PARENT [--listen-fd N] [--cpu N] -- COMMAND ARGS...`: runs in the new child between fork and the worker
/// program, which .NET's Process.Start gives no hook for. It asks the kernel to SIGKILL this process when its parent
/// dies (PR_SET_PDEATHSIG, kept across exec), starts a new session so the worker has its own process group (terminal
/// Ctrl+C reaches only the supervisor; a stop reaches the worker's children too), drops the ambient capabilities the
/// supervisor may run with (systemd's AmbientCapabilities=CAP_NET_BIND_SERVICE, for ports 80 and 443: workers listen on
/// high loopback ports, or accept from a socket the supervisor bound, and need none), then execs the worker in place:
/// same PID. With --listen-fd it also hands the worker the shared listening socket the systemd way (sd_listen_fds(3)):
/// the socket becomes file descriptor 3 and LISTEN_PID names this PID, which only this process can know before the exec.
/// With --cpu it pins the worker to that CPU (worker.cpuAffinity auto): set on the thread that execs, so the program
/// and every thread it starts inherit it.
/// <para>
/// The worker starts clean. Every descriptor above 2 but the listening socket is marked close-on-exec (close_range(2),
/// or one by one from /proc/self/fd on kernels before 5.11): descriptors the supervisor inherited without
/// close-on-exec from whatever started it (a shell, a service manager) never reach a worker. And this shim is itself a
/// .NET program, whose runtime would leave a diagnostics socket (dotnet-diagnostic-PID-...-socket) and two debugger
/// FIFOs (clr-debug-pipe-PID-in/out) in $TMPDIR on every start, never removed, as the exec ends the runtime without
/// its clean-up: the shim runs with DOTNET_EnableDiagnostics=0, and puts back before the exec the value the worker is
/// to have (its own worker.env's, or the supervisor's), or none (--worker-diagnostics).
/// </para>
/// </summary>
internal static partial class ExecShim
{
    public const string Verb = "__exec";

    private const string ListenFdOption = "--listen-fd";
    private const string CpuOption = "--cpu";
    private const string WorkerDiagnosticsOption = "--worker-diagnostics";

    /// <summary>The .NET runtime's switch for its diagnostics IPC, debugger and profiler (all of which make files in $TMPDIR).</summary>
    public const string DiagnosticsVariable = "DOTNET_EnableDiagnostics";

    private const int CLOSE_RANGE_CLOEXEC = 4;
    private const int F_SETFD = 2;
    private const int FD_CLOEXEC = 1;
    private const int PR_SET_PDEATHSIG = 1;

    private const int PR_CAP_AMBIENT = 47;

    private const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /// <summary>
    /// Wraps a start so that it goes through the shim; <paramref name="self"/> is how to run this binary.
    /// <paramref name="inheritedListenFd"/> is the supervisor's own descriptor of the shared socket, made inheritable for
    /// this start; <paramref name="cpu"/> the CPU to pin the worker to.
    /// </summary>
    public static ChildProcessStartInfo Wrap(ChildProcessStartInfo target, IReadOnlyList<string> self, int parentPid, int? inheritedListenFd = null, int? cpu = null)
    {
        // What the worker would have had without the shim: its own worker.env's value, else the supervisor's.
        var workerDiagnostics = target.Environment.TryGetValue(DiagnosticsVariable, out var configured) ? configured : Environment.GetEnvironmentVariable(DiagnosticsVariable);
        return target with
        {
            FileName = self[0],
            Arguments =
            [
                .. self.Skip(1),
                Verb,
                parentPid.ToString(CultureInfo.InvariantCulture),
                .. inheritedListenFd is int fd ? [ListenFdOption, fd.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
                .. cpu is int pinned ? [CpuOption, pinned.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
                .. workerDiagnostics is not null ? [WorkerDiagnosticsOption, workerDiagnostics] : Array.Empty<string>(),
                "--",
                target.FileName,
                .. target.Arguments,
            ],
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

    /// <summary>The shim's main; returns only if the exec failed.</summary>
    public static int Run(string[] args)
    {
        if (!TryParse(args, out var parent, out var listenFd, out var cpu, out var workerDiagnostics, out var commandAt))
        {
            Console.Error.WriteLine($"usage: supervisor {Verb} PARENT_PID [{ListenFdOption} FD] [{CpuOption} N] [{WorkerDiagnosticsOption} VALUE] -- COMMAND [ARGS...]");
            return 2;
        }

        Prctl(PR_SET_PDEATHSIG, PosixSignals.SIGKILL, 0, 0, 0);
        // The parent may have died before the death signal was armed; then nobody will send it.
        if (GetParentPid() != parent)
        {
            return 1;
        }

        SetSid();
        // Without ambient capabilities a non-root worker gets none across exec. Fails only on kernels before 4.3,
        // which have no ambient capabilities to drop.
        Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        if (cpu is int pin && !CpuSet.PinCallingThread(pin))
        {
            // Not fatal: the worker runs unpinned (the CPU went offline, or a cpuset changed since the supervisor read it).
            Console.Error.WriteLine($"supervisor: cannot pin the worker to CPU {pin}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var command = args[commandAt];
        var argv = new nint[args.Length - commandAt + 1];
        for (var i = commandAt; i < args.Length; i++)
        {
            argv[i - commandAt] = Marshal.StringToCoTaskMemUTF8(args[i]);
        }

        // libc's environment, which execv passes on (.NET keeps its own copy for its own child processes).
        UnsetEnv(DiagnosticsVariable);
        if (workerDiagnostics is not null)
        {
            SetEnv(DiagnosticsVariable, workerDiagnostics, 1);
        }

        // Close-on-exec rather than closed now: the runtime of this process may still use its own until the exec.
        MarkCloseOnExecFrom(SocketActivation.FirstFd);
        if (listenFd is int inherited)
        {
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
                    var dupError = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
                    Console.Error.WriteLine($"supervisor: cannot pass the listening socket to {command} as fd {SocketActivation.FirstFd}: {dupError}");
                    return 126;
                }

                Close(inherited);
            }
        }

        Exec(command, argv);
        // Read errno before anything else runs: opening Console.Error makes P/Invoke calls of its own.
        var error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        Console.Error.WriteLine($"supervisor: cannot execute {command}: {error}");
        // 127, as a shell reports a command it could not run.
        return 127;
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

    private static bool TryParse(string[] args, out int parent, out int? listenFd, out int? cpu, out string? workerDiagnostics, out int commandAt)
    {
        listenFd = null;
        cpu = null;
        workerDiagnostics = null;
        commandAt = 0;
        parent = 0;
        if (args.Length < 4 || args[0] != Verb || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out parent))
        {
            return false;
        }

        var next = 2;
        while (next + 1 < args.Length && args[next] is ListenFdOption or CpuOption or WorkerDiagnosticsOption)
        {
            if (args[next] == WorkerDiagnosticsOption)
            {
                workerDiagnostics = args[next + 1];
            }
            else if (!int.TryParse(args[next + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            else if (args[next] == ListenFdOption)
            {
                listenFd = value;
            }
            else
            {
                cpu = value;
            }

            next += 2;
        }

        commandAt = next + 1;
        return next < args.Length && args[next] == "--" && commandAt < args.Length;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSid();

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

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Exec(string path, nint[] argv);
}
