using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// The public listening socket of shared-socket mode: bound once at start, held open for the supervisor's whole life
/// (restarts, crash loops, reloads and scaling never close it, so connections wait in its backlog while no worker
/// accepts), and handed to each worker it starts. The supervisor never accepts from it itself. Its own descriptor has
/// FD_CLOEXEC like every socket .NET opens, so nothing the supervisor starts inherits it by accident; a worker gets a
/// duplicate made for its start (<see cref="DuplicateForChild"/>).
/// </summary>
internal sealed partial class SharedListener : IDisposable
{
    /// <summary>
    /// Connections the kernel queues while no worker accepts (a restart, a crash loop). Capped by net.core.somaxconn
    /// (4096 on current kernels); a full queue makes the kernel drop new SYNs, which clients retry: slow, not refused.
    /// </summary>
    public const int Backlog = 65535;

    private readonly Socket _socket;

    private SharedListener(Socket socket, string url)
    {
        _socket = socket;
        Url = url;
    }

    public string Url { get; }

    /// <summary>The socket's inode, as /proc shows it ("socket:[INODE]"), in whichever process holds a copy.</summary>
    public long Inode { get; private init; }

    /// <summary>The port it is bound to (the configured one, or the kernel's choice for port 0).</summary>
    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Binds and listens; throws <see cref="SocketException"/> when the address is taken or not available.</summary>
    public static SharedListener Bind(ListenAddress listen)
    {
        var (address, dualMode) = listen.Host switch
        {
            // One socket, so one address: "localhost" is the IPv4 loopback here (a worker gets exactly one descriptor).
            ListenHost.Localhost => (IPAddress.Loopback, false),
            ListenHost.AnyInterface => Socket.OSSupportsIPv6 ? (IPAddress.IPv6Any, true) : (IPAddress.Any, false),
            _ => (listen.Address!, listen.Address!.Equals(IPAddress.IPv6Any)),
        };
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (dualMode)
            {
                socket.DualMode = true;
            }

            // As every server does: a restarted supervisor can bind again while old connections are in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, listen.Port));
            socket.Listen(Backlog);
            var link = new FileInfo($"/proc/self/fd/{(int)socket.Handle}").LinkTarget!;
            return new SharedListener(socket, listen.Url) { Inode = long.Parse(link["socket:[".Length..^1], System.Globalization.CultureInfo.InvariantCulture) };
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new descriptor of the socket without FD_CLOEXEC, for exactly one child process to inherit; close it with
    /// <see cref="CloseDuplicate"/> as soon as the child has been started. Only the spawn thread, which starts every
    /// child process of the supervisor one at a time, calls this: no other start can inherit the duplicate meanwhile.
    /// </summary>
    public int DuplicateForChild()
    {
        var duplicate = Dup((int)_socket.Handle);
        return duplicate >= 0
            ? duplicate
            : throw new IOException($"cannot duplicate the listening socket's descriptor: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    public static void CloseDuplicate(int descriptor) => Close(descriptor);

    /// <summary>The supervisor's own descriptor: once the workers holding theirs exit, the port is closed.</summary>
    public void Dispose() => _socket.Dispose();

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
