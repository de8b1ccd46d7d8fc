using System.Globalization;
using System.Net;
using Cluster.TestSupport;

namespace Cluster.Worker.Tests.Infrastructure;

/// <summary>The TCP addresses a process listens on, read from /proc: its socket inodes matched against /proc/net/tcp(6).</summary>
public static class ListeningSockets
{
    private const string ListenState = "0A";

    public static IReadOnlyList<IPEndPoint> Of(int pid)
    {
        var inodes = ProcFs.Sockets(pid).Values.ToHashSet(StringComparer.Ordinal);

        return File.ReadLines($"/proc/{pid}/net/tcp").Skip(1)
            .Concat(File.ReadLines($"/proc/{pid}/net/tcp6").Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields[3] == ListenState && inodes.Contains(fields[9]))
            .Select(fields => ParseEndPoint(fields[1]))
            .ToList();
    }

    /// <summary>"0100007F:1F90" is 127.0.0.1:8080: the address is stored as 32-bit words in host (little-endian) order.</summary>
    private static IPEndPoint ParseEndPoint(string text)
    {
        var (addressHex, portHex) = (text[..text.IndexOf(':', StringComparison.Ordinal)], text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var bytes = Convert.FromHexString(addressHex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        return new IPEndPoint(new IPAddress(bytes), int.Parse(portHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
