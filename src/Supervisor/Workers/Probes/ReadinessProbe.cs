using System.Net;
using System.Net.Sockets;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.SharedSocket;

namespace Cluster.Supervisor.Workers.Probes;

/// <summary>
/// Ready once a TCP connect to the worker's port succeeds (the default, for any server), with a readiness path once
/// GET http://127.0.0.1:PORT/PATH answers 2xx (for workers that listen before they can serve) in the workers' protocol
/// (HTTP/1.1, or HTTP/2 with prior knowledge), or, with readiness.accepting, once the worker waits for connections on
/// the shared socket (<see cref="AcceptWatch"/>). The TCP check is the same for both protocols.
/// </summary>
internal sealed class ReadinessProbe(TimeProvider time, ProbeClients clients) : IReadinessProbe
{
    private static readonly TimeSpan TcpAttemptTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HttpAttemptTimeout = TimeSpan.FromSeconds(2);

    public async Task WaitUntilReadyAsync(int port, int pid, WorkerConfig worker, SharedListener? socket, CancellationToken cancellationToken)
    {
        var config = worker.Readiness;
        while (!(config.Accepting && socket is not null
            ? AcceptWatch.IsAccepting(pid, socket.Inode)
            : await AttemptAsync(port, config, worker.Protocol, cancellationToken)))
        {
            await Task.Delay(config.Interval, time, cancellationToken);
        }
    }

    private async Task<bool> AttemptAsync(int port, ReadinessConfig config, WorkerProtocol protocol, CancellationToken cancellationToken)
    {
        using var attempt = new CancellationTokenSource(config.HttpPath is null ? TcpAttemptTimeout : HttpAttemptTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, cancellationToken);
        try
        {
            return config.HttpPath is null
                ? await ConnectAsync(port, linked.Token)
                : await GetAsync(port, config.HttpPath, protocol, linked.Token);
        }
        catch (Exception e) when (e is SocketException or HttpRequestException)
        {
            // Not listening yet, or it closed the connection.
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // This attempt timed out; try again.
            return false;
        }
    }

    private static async Task<bool> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        return true;
    }

    private async Task<bool> GetAsync(int port, string path, WorkerProtocol protocol, CancellationToken cancellationToken)
    {
        using var request = ProbeClient.Get(port, path, protocol);
        using var response = await clients.For(protocol).SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
