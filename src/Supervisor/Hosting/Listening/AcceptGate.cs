namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// Whether a server still accepts on one listening socket. Closing it ends that socket's accept loop without closing
/// the socket, whose queue another process may go on serving (a supervisor taking over, or the next start under
/// systemd's socket activation); connections already accepted are served as before.
/// </summary>
internal sealed class AcceptGate : IDisposable
{
    private readonly CancellationTokenSource _closed = new();

    public CancellationToken Closed => _closed.Token;

    public bool IsClosed => _closed.IsCancellationRequested;

    public void Close() => _closed.Cancel();

    public void Dispose() => _closed.Dispose();
}
