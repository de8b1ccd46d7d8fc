using System.Net;
using System.Net.Sockets;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// The public listening socket of shared-socket mode (one of <see cref="ListenSockets"/>: bound at start, or inherited
/// from systemd or the previous supervisor), held open for the supervisor's whole life (restarts, crash loops, reloads
/// and scaling never close it, so connections wait in its backlog while no worker accepts), and handed to each worker
/// it starts. The supervisor never accepts from it itself. Its own descriptor has FD_CLOEXEC like every socket .NET
/// opens, so nothing the supervisor starts inherits it by accident; a worker gets a duplicate made for its start
/// (<see cref="DuplicateForChild"/>).
/// </summary>
internal sealed class SharedListener : IDisposable
{
    private readonly Socket _socket;

    public SharedListener(Socket socket, string url)
    {
        _socket = socket;
        Url = url;
        var link = new FileInfo($"/proc/self/fd/{(int)socket.SafeHandle.DangerousGetHandle()}").LinkTarget!;
        Inode = long.Parse(link["socket:[".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Url { get; }

    /// <summary>The socket's inode, as /proc shows it ("socket:[INODE]"), in whichever process holds a copy.</summary>
    public long Inode { get; }

    /// <summary>The port it is bound to (the configured one, or the kernel's choice for port 0).</summary>
    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Binds and listens on its own (for tests of the plumbing); throws <see cref="SocketException"/> when it cannot.</summary>
    public static SharedListener Bind(ListenAddress listen) => new(SocketBinder.Bind(listen, oneSocket: true).Single(), listen.Url);

    /// <summary>
    /// A new descriptor of the socket without FD_CLOEXEC, for exactly one child process to inherit; close it with
    /// <see cref="CloseDuplicate"/> as soon as the child has been started. Only the spawn thread, which starts every
    /// child process of the supervisor one at a time, calls this: no other start can inherit the duplicate meanwhile.
    /// </summary>
    public int DuplicateForChild() => Descriptors.DuplicateForChild((int)_socket.SafeHandle.DangerousGetHandle());

    public static void CloseDuplicate(int descriptor) => Descriptors.Close(descriptor);

    /// <summary>The supervisor's own descriptor: once the workers holding theirs exit, the port is closed (unless systemd or a successor holds it too).</summary>
    public void Dispose() => _socket.Dispose();
}
