using System.Runtime.InteropServices;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// `supervisor __exec PARENT -- COMMAND ARGS...`: runs in the new child between fork and the worker program, which
/// .NET's Process.Start gives no hook for. It asks the kernel to SIGKILL this process when its parent dies
/// (PR_SET_PDEATHSIG, kept across exec), starts a new session so the worker has its own process group (terminal Ctrl+C
/// reaches only the supervisor; a stop reaches the worker's children too), drops the ambient capabilities the
/// supervisor may run with (systemd's AmbientCapabilities=CAP_NET_BIND_SERVICE, for ports 80 and 443: workers listen on
/// high loopback ports and need none), then execs the worker in place: same PID.
/// </summary>
internal static partial class ExecShim
{
    public const string Verb = "__exec";

    private const int PR_SET_PDEATHSIG = 1;

    private const int PR_CAP_AMBIENT = 47;

    private const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /// <summary>Wraps a start so that it goes through the shim; <paramref name="self"/> is how to run this binary.</summary>
    public static ChildProcessStartInfo Wrap(ChildProcessStartInfo target, IReadOnlyList<string> self, int parentPid) =>
        target with
        {
            FileName = self[0],
            Arguments = [.. self.Skip(1), Verb, parentPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--", target.FileName, .. target.Arguments],
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
        if (args.Length < 4 || args[0] != Verb || args[2] != "--" || !int.TryParse(args[1], out var parent))
        {
            Console.Error.WriteLine($"usage: supervisor {Verb} PARENT_PID -- COMMAND [ARGS...]");
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
        var command = args[3];
        var argv = new nint[args.Length - 3 + 1];
        for (var i = 3; i < args.Length; i++)
        {
            argv[i - 3] = Marshal.StringToCoTaskMemUTF8(args[i]);
        }

        Exec(command, argv);
        // Read errno before anything else runs: opening Console.Error makes P/Invoke calls of its own.
        var error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        Console.Error.WriteLine($"supervisor: cannot execute {command}: {error}");
        // 127, as a shell reports a command it could not run.
        return 127;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Exec(string path, nint[] argv);
}
