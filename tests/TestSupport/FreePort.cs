using System.Net;
using System.Net.Sockets;

namespace Cluster.TestSupport;

public static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (the kernel's choice for port 0).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
