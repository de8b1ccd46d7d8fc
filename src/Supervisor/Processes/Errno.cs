using System.Runtime.InteropServices;

namespace Cluster.Supervisor.Processes;

/// <summary>A failed system call's errno as people search for it: "Permission denied (EACCES)".</summary>
internal static class Errno
{
    // The errno values a start can fail with (execve(2), chdir(2), setuid(2), initgroups(3)), by number (Linux).
    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "EPERM", [2] = "ENOENT", [5] = "EIO", [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF", [11] = "EAGAIN",
        [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL",
        [23] = "ENFILE", [24] = "EMFILE", [26] = "ETXTBSY", [36] = "ENAMETOOLONG", [40] = "ELOOP", [80] = "ELIBBAD",
    };

    public static string Describe(int errno) =>
        $"{Marshal.GetPInvokeErrorMessage(errno)} ({(Names.TryGetValue(errno, out var name) ? name : $"errno {errno}")})";

    /// <summary>The errno of the last P/Invoke with SetLastError, described; call it first, before anything else makes calls of its own.</summary>
    public static string Last() => Describe(Marshal.GetLastPInvokeError());
}
