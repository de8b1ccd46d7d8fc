using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers.Probes;

/// <summary>
/// The HTTP clients of readiness and health checks, one per protocol the workers speak (apps may differ), each made
/// on first use and kept: a check opens no client of its own.
/// </summary>
internal sealed class ProbeClients : IDisposable
{
    private readonly Lazy<HttpMessageInvoker> _http1 = new(() => ProbeClient.Create(WorkerProtocol.Http1));
    private readonly Lazy<HttpMessageInvoker> _http2 = new(() => ProbeClient.Create(WorkerProtocol.Http2));

    public HttpMessageInvoker For(WorkerProtocol protocol) => (protocol == WorkerProtocol.Http2 ? _http2 : _http1).Value;

    public void Dispose()
    {
        foreach (var client in new[] { _http1, _http2 }.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }
}
