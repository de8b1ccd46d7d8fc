using System.Net.Sockets;
using System.Text;

namespace Cluster.Supervisor.Workers.Notify;

/// <summary>Receives one worker process's notifications until disposed, then removes its socket file.</summary>
internal sealed class NotifyChannel : INotifyChannel
{
    /// <summary>sd_notify messages are a few short lines; anything longer is cut here, as a datagram is.</summary>
    private const int MaxDatagram = 4096;

    private readonly Socket _socket;
    private readonly Action<NotifyMessage> _received;

    public NotifyChannel(Socket socket, string path, Action<NotifyMessage> received)
    {
        _socket = socket;
        _received = received;
        Path = path;
        _ = ReceiveAsync();
    }

    public string Path { get; }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[MaxDatagram];
        try
        {
            while (true)
            {
                var length = await _socket.ReceiveAsync(buffer, SocketFlags.None);
                _received(NotifyMessage.Parse(Encoding.UTF8.GetString(buffer, 0, length)));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed: the worker process is gone.
        }
    }
}
