using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cluster.TestSupport;

/// <summary>
/// Loopback ports for servers a test starts (a supervisor's listeners, a sample worker). A port that was free a moment
/// ago is not enough: the kernel hands its ephemeral range (ip_local_port_range) to every client connection, and the
/// load the tests generate opens thousands of them, so a port picked with bind(0) could be some client's by the time
/// the server binds it. These ports come from outside that range, where the kernel never picks one on its own: each is
/// bound once here to prove nobody holds it, and never handed out twice by this process. Several test processes at once
/// (the test assemblies run side by side) start at random places in the range, so they rarely even try the same port.
/// </summary>
public static class FreePort
{
    private const int Lowest = 10_000;
    private const int Highest = 65_535;

    private static readonly int[] Candidates = OutsideTheEphemeralRange();
    private static int _next = Random.Shared.Next(Candidates.Length);

    /// <summary>A loopback port that no one holds, outside the kernel's ephemeral range, not given out before.</summary>
    public static int Next()
    {
        for (var tried = 0; tried < Candidates.Length; tried++)
        {
            var port = Candidates[(int)((uint)Interlocked.Increment(ref _next) % (uint)Candidates.Length)];
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {Lowest} and {Highest} outside the ephemeral range");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Ports from <see cref="Lowest"/> up that the kernel does not use for client connections.</summary>
    private static int[] OutsideTheEphemeralRange()
    {
        var (first, last) = EphemeralRange();
        var ports = Enumerable.Range(Lowest, Highest - Lowest + 1).Where(port => port < first || port > last).ToArray();
        return ports.Length > 0 ? ports : throw new InvalidOperationException($"the ephemeral port range {first}-{last} leaves no port from {Lowest} up for test servers");
    }

    private static (int First, int Last) EphemeralRange()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(range[0], CultureInfo.InvariantCulture), int.Parse(range[1], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            // Linux's default.
            return (32_768, 60_999);
        }
    }
}
