using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// A listening TCP socket this process was given at start, by systemd's socket activation (sd_listen_fds(3)) or by the
/// supervisor it takes over from (an upgrade): its descriptor, its name (LISTEN_FDNAMES), and the socket.
/// </summary>
internal sealed record InheritedSocket(int Descriptor, string? Name, Socket Socket)
{
    public IPEndPoint LocalEndPoint => (IPEndPoint)Socket.LocalEndPoint!;

    /// <summary>For messages: "fd 3 (cluster) on 127.0.0.1:8080".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"fd {Descriptor}{(string.IsNullOrEmpty(Name) ? string.Empty : $" ({Name})")} on {Show(LocalEndPoint)}");

    /// <summary>"127.0.0.1:8080", "[::]:443".</summary>
    public static string Show(IPEndPoint endPoint) => endPoint.ToString();
}
