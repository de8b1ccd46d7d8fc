using System.Net.Sockets;

namespace Cluster.Supervisor.Control;

/// <summary>What is at a control socket path: nothing, a file nobody listens on (left by a crash), or a live supervisor.</summary>
internal enum ControlSocketState
{
    Absent,
    Stale,
    Live,
}

internal static class ControlSocket
{
    public static async Task<ControlSocketState> ProbeAsync(string path)
    {
        if (!File.Exists(path))
        {
            return ControlSocketState.Absent;
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
