using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Cluster.TestSupport;

/// <summary>
/// A datagram socket standing in for systemd's notify socket: bound to a path or an abstract name, it reads every
/// message as it arrives (the kernel queues only a few datagrams per socket) and hands them out in order.
/// </summary>
public sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket;
    private readonly Channel<string> _received = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    private NotifySocketListener(string endPointPath, string address)
    {
        Address = address;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(endPointPath));
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Address { get; }

    public static NotifySocketListener AtPath(string path) => new(path, path);

    /// <summary>A socket in the abstract namespace; NOTIFY_SOCKET names it with a leading '@'.</summary>
    public static NotifySocketListener Abstract(string name) => new("\0" + name, "@" + name);

    /// <summary>The next message; throws <see cref="TimeoutException"/> if none arrives in time.</summary>
    public async Task<string> ReceiveAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await _received.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no notification arrived on {Address} within {timeout.TotalSeconds:0.#}s");
        }
    }

    /// <summary>Messages already received and not yet taken.</summary>
    public IReadOnlyList<string> Drain()
    {
        var messages = new List<string>();
        while (_received.Reader.TryRead(out var message))
        {
            messages.Add(message);
        }

        return messages;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _pump.Wait(Waits.Patience);
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                _received.Writer.TryWrite(Encoding.UTF8.GetString(buffer, 0, length));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }
}
