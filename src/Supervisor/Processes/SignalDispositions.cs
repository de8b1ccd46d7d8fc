using System.Runtime.InteropServices;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// Undoes what a process inherits about signals that is not meant for it: a signal set to "ignore" (SIG_IGN) and a
/// blocked signal mask survive fork and exec. A shell gives its background jobs SIGINT and SIGQUIT ignored, `nohup`
/// SIGHUP, and the .NET runtime ignores SIGPIPE; a program then never sees those signals. The .NET runtime respects an
/// inherited "ignore" (PosixSignalRegistration does not take such a signal), so a supervisor started with `nohup ... &`
/// would silently not reload on SIGHUP nor stop on SIGINT or SIGQUIT, and a worker with `stopSignal: "SIGINT"` started
/// by it would never get the signal it stops on. As systemd does for every service, the supervisor makes the signals it
/// handles its own at start (<see cref="DefaultBeforeRuntimeTakesThem"/>) and starts each worker with every signal at
/// its default action and none blocked (<see cref="ResetForExec"/>): a worker that wants SIGPIPE ignored, as web
/// servers do, ignores it itself.
/// </summary>
internal static partial class SignalDispositions
{
    private const int SIG_SETMASK = 2;
    private static readonly nint SIG_DFL = 0;
    private static readonly nint SIG_IGN = 1;

    /// <summary>Linux's standard signals; SIGKILL and SIGSTOP cannot be ignored, caught or blocked.</summary>
    private static IEnumerable<int> Standard => Enumerable.Range(1, 31).Where(s => s is not PosixSignals.SIGKILL and not PosixSignals.SIGSTOP);

    /// <summary>
    /// Sets <paramref name="signals"/> to their default action. Only right at start, before the .NET runtime sets up its
    /// signal handling (which reads the inherited action once, for SIGINT and SIGQUIT when the first Console, Process
    /// or PosixSignalRegistration is used): no handler of this process exists yet, so the default is all there is to
    /// restore.
    /// </summary>
    public static void DefaultBeforeRuntimeTakesThem(IEnumerable<int> signals)
    {
        foreach (var signal in signals)
        {
            SetHandler(signal, SIG_DFL);
        }
    }

    /// <summary>
    /// Right before exec: every ignored signal back to its default action, and an empty signal mask for the new program
    /// (both are kept across exec; the runtime's own handlers are not, exec resets those itself).
    /// </summary>
    public static void ResetForExec()
    {
        foreach (var signal in Standard.Where(IsIgnored))
        {
            SetHandler(signal, SIG_DFL);
        }

        // sigset_t is 128 bytes in glibc and musl: all zero is the empty set.
        var empty = new byte[128];
        SetMask(SIG_SETMASK, empty, 0);
    }

    private static bool IsIgnored(int signal)
    {
        // struct sigaction starts with the handler in glibc and musl; the rest of the buffer is room for either layout.
        var old = new nint[32];
        return QueryAction(signal, 0, old) == 0 && old[0] == SIG_IGN;
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint SetHandler(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int QueryAction(int signal, nint newAction, [Out] nint[] oldAction);

    [LibraryImport("libc", EntryPoint = "sigprocmask")]
    private static partial int SetMask(int how, byte[] set, nint oldSet);
}
