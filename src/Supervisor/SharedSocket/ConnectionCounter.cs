using System.Globalization;

namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// How many client connections each worker holds on the shared socket's port, from /proc: the connected TCP sockets
/// on that local port (/proc/net/tcp and tcp6), matched by inode against the descriptors of each worker's processes.
/// The kernel hands a new connection to whichever worker accepts first and it stays there (keep-alive), so this is
/// the only place an uneven split shows. Read when `status` or a metrics scrape asks, never on a request path.
/// </summary>
internal sealed class ConnectionCounter(Func<int> port)
{
    private const string Listening = "0A";

    /// <summary>Connections per worker, given each worker's PID and the PIDs of its process family.</summary>
    public Dictionary<int, long> Count(IReadOnlyDictionary<int, HashSet<int>> families)
    {
        var sockets = ConnectedSockets(port());
        return families.ToDictionary(family => family.Key, family => family.Value.Sum(pid => Held(pid, sockets)));
    }

    /// <summary>The inodes of every connected (not listening) TCP socket whose local port is <paramref name="localPort"/>.</summary>
    internal static HashSet<string> ConnectedSockets(int localPort)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            IEnumerable<string> lines;
            try
            {
                lines = File.ReadLines(table).Skip(1).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var line in lines)
            {
                if (Parse(line) is ({ } local, { } state, { } inode) && state != Listening && local == localPort)
                {
                    inodes.Add(inode);
                }
            }
        }

        return inodes;
    }

    /// <summary>One row of /proc/net/tcp: "sl local_address rem_address st ... uid timeout inode".</summary>
    internal static (int? LocalPort, string? State, string? Inode) Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10)
        {
            return (null, null, null);
        }

        var local = fields[1];
        var colon = local.LastIndexOf(':');
        return colon > 0 && int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var parsed)
            ? (parsed, fields[3], fields[9])
            : (null, null, null);
    }

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
