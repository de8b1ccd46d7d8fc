using System.Globalization;

namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// The kernel's table of TCP sockets, /proc/net/tcp and /proc/net/tcp6: the one reader of both for the shared socket's
/// views of it (the accept queue of its listener, the connections on its port). Read when asked, never on a request path.
/// </summary>
internal static class ProcNetTcp
{
    /// <summary>The "st" column of a listening socket (TCP_LISTEN).</summary>
    public const string Listening = "0A";

    /// <summary>Every row of both tables; a table that cannot be read (no IPv6, a restricted /proc) is left out.</summary>
    public static IEnumerable<TcpSocketRow> Rows()
    {
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            List<string> lines;
            try
            {
                // Read whole inside the try: File.ReadLines is lazy, so a read error would otherwise surface outside it.
                lines = File.ReadLines(table).Skip(1).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var line in lines)
            {
                if (Parse(line) is { } row)
                {
                    yield return row;
                }
            }
        }
    }

    /// <summary>
    /// One row: "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...", in hex
    /// but the inode; null for the heading or a row it cannot read.
    /// </summary>
    public static TcpSocketRow? Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 10)
        {
            return null;
        }

        var local = fields[1];
        var colon = local.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        if (fields[4].Split(':') is not [_, var rx] || !long.TryParse(rx, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rxQueue))
        {
            return null;
        }

        return new TcpSocketRow(port, fields[3], rxQueue, fields[9]);
    }
}
