using System.Net;
using System.Net.Sockets;

namespace Cluster.Supervisor.Workers.Launching;

/// <summary>
/// Lets the kernel pick a free loopback port, then releases it for the worker. Every start gets a new port, so a new
/// process never has to wait for its predecessor's socket to close. Should another program take the port in between,
/// the worker fails to bind, exits, and is restarted on another port.
/// </summary>
internal sealed class LoopbackPortAllocator : IPortAllocator
{
    public int Allocate()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
