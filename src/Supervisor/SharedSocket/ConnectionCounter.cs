namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// How many client connections each worker holds on the shared socket's port, from /proc: the connected TCP sockets
/// on that local port (/proc/net/tcp and tcp6), matched by inode against the descriptors of each worker's processes.
/// The kernel hands a new connection to whichever worker accepts first and it stays there (keep-alive), so this is
/// the only place an uneven split shows. Read when `status` or a metrics scrape asks, never on a request path.
/// </summary>
internal sealed class ConnectionCounter(Func<int> port)
{
    /// <summary>Connections per worker, given each worker's PID and the PIDs of its process family.</summary>
    public Dictionary<int, long> Count(IReadOnlyDictionary<int, HashSet<int>> families) => Count(families, ProcNetTcp.Rows());

    /// <summary>The same, in rows already read (a pool check reads the table once for this and the accept queue).</summary>
    public Dictionary<int, long> Count(IReadOnlyDictionary<int, HashSet<int>> families, IEnumerable<TcpSocketRow> rows)
    {
        var sockets = ConnectedSockets(port(), rows);
        return families.ToDictionary(family => family.Key, family => family.Value.Sum(pid => Held(pid, sockets)));
    }

    /// <summary>The inodes of every connected (not listening) TCP socket whose local port is <paramref name="localPort"/>.</summary>
    internal static HashSet<string> ConnectedSockets(int localPort, IEnumerable<TcpSocketRow> rows) =>
        rows.Where(row => !row.IsListening && row.LocalPort == localPort).Select(row => row.Inode).ToHashSet(StringComparer.Ordinal);

    private static long Held(int pid, HashSet<string> sockets)
    {
        var held = 0L;
        try
        {
            foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                // "socket:[INODE]"
                if (new FileInfo(descriptor).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal) && sockets.Contains(target[8..^1]))
                {
                    held++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited meanwhile.
        }

        return held;
    }
}
