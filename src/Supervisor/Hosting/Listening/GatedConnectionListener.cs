using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// Kestrel's listener for one socket of <see cref="ListenSockets"/>: accepts until its <see cref="AcceptGate"/>
/// closes, then tells Kestrel it is done (null), with no accept left pending. Kestrel's own stop disposes the listener
/// while an accept may be in progress; on a socket another process shares, .NET may then disconnect the socket itself
/// to unblock that accept, which ends it for every process. With the gate closed first there is nothing to unblock.
/// A connection the kernel handed over just as the gate closed is returned and served, never dropped.
/// </summary>
internal sealed class GatedConnectionListener(IConnectionListener inner, AcceptGate gate) : IConnectionListener
{
    public EndPoint EndPoint => inner.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (gate.IsClosed)
        {
            return null;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, gate.Closed);
        try
        {
            return await inner.AcceptAsync(either.Token);
        }
        catch (OperationCanceledException) when (gate.IsClosed && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
