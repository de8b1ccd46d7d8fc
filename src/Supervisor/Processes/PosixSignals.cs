using System.Runtime.InteropServices;

namespace Cluster.Supervisor.Processes;

/// <summary>Sends signals by PID through libc's kill(2); System.Diagnostics.Process can only send SIGKILL.</summary>
internal static partial class PosixSignals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGUSR2 = 12;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;
    public const int SIGTTIN = 21;
    public const int SIGTTOU = 22;

    private const int ESRCH = 3;

    private static readonly string[] Names =
    [
        "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends the signal; false when the process no longer exists.</summary>
    public static bool Send(int pid, int signal)
    {
        if (Kill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == ESRCH
            ? false
            : throw new InvalidOperationException($"kill({pid}, {Name(signal)}) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>The number of a signal by its name ("SIGINT": 2); 0 for a name Linux does not have.</summary>
    public static int Number(string name) => Math.Max(0, Array.IndexOf(Names, name));

    public static string Name(int signal) =>
        signal > 0 && signal < Names.Length ? Names[signal] : $"signal {signal}";
}
