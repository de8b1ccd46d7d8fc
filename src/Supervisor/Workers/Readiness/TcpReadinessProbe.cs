using System.Net;
using System.Net.Sockets;

namespace Cluster.Supervisor.Workers.Readiness;

/// <summary>Ready once the worker accepts a TCP connection on its port: the default, it works for any server.</summary>
internal sealed class TcpReadinessProbe(TimeSpan interval, TimeProvider time) : IReadinessProbe
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    public string Description => "TCP connect";

    public async Task WaitUntilReadyAsync(int port, CancellationToken cancellationToken)
    {
        while (true)
        {
            using (var attempt = new CancellationTokenSource(AttemptTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, cancellationToken))
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, port, linked.Token);
                    return;
                }
                catch (SocketException)
                {
                    // Not listening yet.
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // This attempt timed out; try again.
                }
            }

            await Task.Delay(interval, time, cancellationToken);
        }
    }
}
