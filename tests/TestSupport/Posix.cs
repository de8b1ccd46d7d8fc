using System.Runtime.InteropServices;

namespace Cluster.TestSupport;

/// <summary>Signals by PID, for tests that stop, kill and wake the processes they started.</summary>
public static class Posix
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

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    public static bool Signal(int pid, int signal) => SysKill(pid, signal) == 0;

    /// <summary>True when the PID exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid) => ProcFs.State(pid) is not (null or 'Z' or 'X');
}
