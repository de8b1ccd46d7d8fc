using System.Globalization;

namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// The connections waiting in the shared socket's accept queue: connected by the kernel, accepted by no worker yet.
/// For a listening socket, /proc/net/tcp's rx_queue is that queue's length (and tx_queue its limit, the backlog), as
/// `ss -lnt` shows in Recv-Q; found by the socket's inode. This is the busy signal of a shared socket, where no front
/// end sees the requests (uWSGI's "backlog" cheaper algorithm reads the same number): connections that wait mean every
/// worker is busy. Read once per pool check, never on a request path.
/// </summary>
internal static class AcceptQueue
{
    private const string Listening = "0A";

    /// <summary>The connections waiting on the listening socket of inode <paramref name="inode"/>; null when it is not found.</summary>
    public static long? Length(long inode)
    {
        var wanted = inode.ToString(CultureInfo.InvariantCulture);
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
                if (Parse(line) is ({ } state, { } waiting, { } found) && state == Listening && found == wanted)
                {
                    return waiting;
                }
            }
        }

        return null;
    }

    /// <summary>One row of /proc/net/tcp: "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...".</summary>
    internal static (string? State, long? RxQueue, string? Inode) Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10 || fields[4].Split(':') is not [_, var rx] || !long.TryParse(rx, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var queued))
        {
            return (null, null, null);
        }

        return (fields[3], queued, fields[9]);
    }
}
