using System.Net.Sockets;
using Cluster.Supervisor.FileSafety;

namespace Cluster.Supervisor.Control;

/// <summary>
/// What is at a control socket path: nothing, a socket nobody listens on (left by a crash), a live supervisor, or
/// something that is not a socket at all (a file, a link), which the supervisor neither follows nor removes.
/// </summary>
internal enum ControlSocketState
{
    Absent,
    Stale,
    Live,
    NotASocket,
}

internal static class ControlSocket
{
    public static async Task<ControlSocketState> ProbeAsync(string path)
    {
        switch (FileStatus.OfPath(path)?.Kind)
        {
            case null:
                return ControlSocketState.Absent;
            case not FileKind.Socket:
                return ControlSocketState.NotASocket;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token);
            return ControlSocketState.Live;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return ControlSocketState.Stale;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            return ControlSocketState.Absent;
        }
    }
}
