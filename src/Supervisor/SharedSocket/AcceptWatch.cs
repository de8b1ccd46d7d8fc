using System.Globalization;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// readiness.accepting: whether a worker waits for connections on the shared socket, read from /proc. A server that
/// accepts registers the listening socket with epoll (Kestrel, Node, uvicorn, Go all do), and the kernel lists every
/// registration in the epoll descriptor's fdinfo with the target's inode ("tfd: 7 events: 19 ... ino:26161"), whatever
/// descriptor number the server gave its copy. For servers that neither listen on PORT nor speak sd_notify.
/// </summary>
internal static class AcceptWatch
{
    /// <summary>True once any process of <paramref name="pid"/>'s family watches the socket with inode <paramref name="socketInode"/>.</summary>
    public static bool IsAccepting(int pid, long socketInode)
    {
        var wanted = "ino:" + socketInode.ToString("x", CultureInfo.InvariantCulture);
        return ProcStat.Family(pid, ProcStat.ParentsOfAll()).Any(member => Watches(member, wanted));
    }

    private static bool Watches(int pid, string wanted)
    {
        try
        {
            foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (new FileInfo(descriptor).LinkTarget == "anon_inode:[eventpoll]"
                    && File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(descriptor)}").Any(line => line.StartsWith("tfd:", StringComparison.Ordinal) && line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(wanted)))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited meanwhile, or is not ours to read.
        }

        return false;
    }
}
