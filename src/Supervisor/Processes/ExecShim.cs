using System.Globalization;
using System.Runtime.InteropServices;
using Cluster.Shared.Contract;

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
/// </summary>
internal static partial class ExecShim
{
    public const string Verb = "__exec";

    private const string ListenFdOption = "--listen-fd";
    private const string CpuOption = "--cpu";
    private const int PR_SET_PDEATHSIG = 1;

    private const int PR_CAP_AMBIENT = 47;

    private const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /// <summary>
    /// Wraps a start so that it goes through the shim; <paramref name="self"/> is how to run this binary.
    /// <paramref name="inheritedListenFd"/> is the supervisor's own descriptor of the shared socket, made inheritable for
    /// this start; <paramref name="cpu"/> the CPU to pin the worker to.
    /// </summary>
    public static ChildProcessStartInfo Wrap(ChildProcessStartInfo target, IReadOnlyList<string> self, int parentPid, int? inheritedListenFd = null, int? cpu = null) =>
        target with
        {
            FileName = self[0],
            Arguments =
            [
                .. self.Skip(1),
                Verb,
                parentPid.ToString(CultureInfo.InvariantCulture),
                .. inheritedListenFd is int fd ? [ListenFdOption, fd.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
                .. cpu is int pinned ? [CpuOption, pinned.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
                "--",
                target.FileName,
                .. target.Arguments,
            ],
        };

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
        if (!TryParse(args, out var parent, out var listenFd, out var cpu, out var commandAt))
        {
            Console.Error.WriteLine($"usage: supervisor {Verb} PARENT_PID [{ListenFdOption} FD] [{CpuOption} N] -- COMMAND [ARGS...]");
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

        if (listenFd is int inherited)
        {
            // libc's environment, which execv passes on (.NET keeps its own copy for its own child processes).
            SetEnv(SocketActivation.ListenPid, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), 1);
            // Last, right before the exec: descriptor 3 belongs to the runtime of this process until then (the first
            // pipe it opens), and nothing of it is used any more once every argument is ready. dup2 leaves the new
            // descriptor without FD_CLOEXEC, so it survives the exec; the inherited number is closed so that the worker
            // holds the socket once.
            if (inherited != SocketActivation.FirstFd)
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

    private static bool TryParse(string[] args, out int parent, out int? listenFd, out int? cpu, out int commandAt)
    {
        listenFd = null;
        cpu = null;
        commandAt = 0;
        parent = 0;
        if (args.Length < 4 || args[0] != Verb || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out parent))
        {
            return false;
        }

        var next = 2;
        while (next + 1 < args.Length && args[next] is ListenFdOption or CpuOption)
        {
            if (!int.TryParse(args[next + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            if (args[next] == ListenFdOption)
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

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Exec(string path, nint[] argv);
}
