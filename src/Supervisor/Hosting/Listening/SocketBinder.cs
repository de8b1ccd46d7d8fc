using System.Net;
using System.Net.Sockets;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// Binds a listen address the way Kestrel's own Listen* methods would (so the proxy behaves as before), but as sockets
/// the supervisor holds: they can then be handed to Kestrel, to the shared-socket workers, and to a new supervisor in
/// an upgrade.
/// </summary>
internal static class SocketBinder
{
    /// <summary>
    /// Connections the kernel queues while nobody accepts (a restart, an upgrade's hand-over, a crash loop). Capped by
    /// net.core.somaxconn (4096 on current kernels); a full queue makes the kernel drop new SYNs, which clients retry:
    /// slow, not refused.
    /// </summary>
    public const int Backlog = 65535;

    /// <summary>
    /// "localhost": 127.0.0.1, and ::1 where the machine has IPv6 (both loopbacks, as Kestrel's ListenLocalhost), or
    /// 127.0.0.1 alone when <paramref name="oneSocket"/> (a shared-socket worker gets exactly one descriptor). "*":
    /// [::] accepting IPv4 too (dual mode), or 0.0.0.0 without IPv6. An address: that one ([::] in dual mode, as Kestrel).
    /// </summary>
    /// <exception cref="SocketException">The address is taken or not available.</exception>
    public static IReadOnlyList<Socket> Bind(ListenAddress listen, bool oneSocket)
    {
        switch (listen.Host)
        {
            case ListenHost.Localhost:
                var loopbacks = new List<Socket> { BindOne(IPAddress.Loopback, listen.Port) };
                if (!oneSocket && Socket.OSSupportsIPv6 && listen.Port != 0)
                {
                    try
                    {
                        loopbacks.Add(BindOne(IPAddress.IPv6Loopback, listen.Port));
                    }
                    catch (SocketException e) when (e.SocketErrorCode != SocketError.AddressAlreadyInUse)
                    {
                        // No IPv6 loopback here (Kestrel only warns too): IPv4 alone.
                    }
                }

                return loopbacks;
            case ListenHost.AnyInterface:
                if (Socket.OSSupportsIPv6)
                {
                    try
                    {
                        return [BindOne(IPAddress.IPv6Any, listen.Port)];
                    }
                    catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
                    {
                        // IPv6 disabled on this machine: IPv4 alone.
                    }
                }

                return [BindOne(IPAddress.Any, listen.Port)];
            default:
                return [BindOne(listen.Address!, listen.Port)];
        }
    }

    private static Socket BindOne(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // As every server does: a restarted supervisor can bind again while old connections are in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
