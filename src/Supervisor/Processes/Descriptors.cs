using System.Runtime.InteropServices;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// File descriptors as the kernel sees them, for what .NET has no API for: the close-on-exec flag, duplicates made for
/// one child to inherit, moving a descriptor onto another number, and a connected socket pair.
/// </summary>
internal static partial class Descriptors
{
    private const int F_GETFD = 1;
    private const int F_SETFD = 2;
    private const int FD_CLOEXEC = 1;
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;

    /// <summary>Marks a descriptor close-on-exec (what every descriptor .NET opens has), so no child program inherits it.</summary>
    public static void SetCloseOnExec(int fd)
    {
        if (Fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
        {
            throw Error($"cannot mark fd {fd} close-on-exec");
        }
    }

    /// <summary>Whether the descriptor is open in this process.</summary>
    public static bool IsOpen(int fd) => Fcntl(fd, F_GETFD, 0) >= 0;

    /// <summary>
    /// A new descriptor of the same open file without close-on-exec, for exactly one child process to inherit; close it
    /// once that child has started. Only the spawn thread, which starts every child one at a time, may make these.
    /// </summary>
    public static int DuplicateForChild(int fd)
    {
        var duplicate = Dup(fd);
        return duplicate >= 0 ? duplicate : throw Error($"cannot duplicate fd {fd}");
    }

    /// <summary>Makes <paramref name="target"/> refer to what <paramref name="source"/> does (dup2(2)); the target loses close-on-exec.</summary>
    public static void MoveOnto(int source, int target)
    {
        if (Dup2(source, target) < 0)
        {
            throw Error($"cannot make fd {target} a copy of fd {source}");
        }
    }

    public static void Close(int fd) => CloseFd(fd);

    /// <summary>Two connected stream sockets, both close-on-exec.</summary>
    public static (int First, int Second) SocketPair()
    {
        var fds = new int[2];
        if (SocketPairNative(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
        {
            throw Error("cannot create a socket pair");
        }

        return (fds[0], fds[1]);
    }

    private static IOException Error(string what) => new($"{what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseFd(int fd);

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static partial int SocketPairNative(int domain, int type, int protocol, [Out] int[] fds);
}
