using System.Net;
using System.Net.Sockets;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>Whether a socket's local address is one the supervisor would bind for a listen address.</summary>
internal static class AddressMatch
{
    /// <summary>
    /// Same port (any, for port 0: the kernel chose it), and: the same IP for an address ([::] and 0.0.0.0 are two
    /// different addresses); 127.0.0.1 or ::1 for "localhost"; 0.0.0.0 or [::] for "*".
    /// </summary>
    public static bool Matches(ListenAddress listen, IPEndPoint socket)
    {
        if (listen.Port != 0 && listen.Port != socket.Port)
        {
            return false;
        }

        var ip = socket.Address.IsIPv4MappedToIPv6 ? socket.Address.MapToIPv4() : socket.Address;
        return listen.Host switch
        {
            ListenHost.Localhost => IPAddress.IsLoopback(ip),
            ListenHost.AnyInterface => ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any),
            _ => ip.Equals(listen.Address!.IsIPv4MappedToIPv6 ? listen.Address.MapToIPv4() : listen.Address),
        };
    }

    /// <summary>True for the address families a listen entry can have: IPv4 and IPv6.</summary>
    public static bool IsInternet(AddressFamily family) => family is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
}
