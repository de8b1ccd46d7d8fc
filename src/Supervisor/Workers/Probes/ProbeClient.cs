using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers.Probes;

internal static class ProbeClient
{
    /// <summary>The client for readiness and health checks: never through a proxy, short connect timeout, no cookies or redirects.</summary>
    public static HttpMessageInvoker Create(WorkerProtocol protocol = WorkerProtocol.Http1) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(1),
        // HTTP/2 has no "Connection: close"; a connection that may not be reused is closed after its check instead,
        // so none outlives the worker it was opened to.
        PooledConnectionLifetime = protocol == WorkerProtocol.Http2 ? TimeSpan.Zero : Timeout.InfiniteTimeSpan,
    });

    /// <summary>A GET of the worker's path in the worker's protocol (HTTP/2: prior knowledge, as the front end speaks to it).</summary>
    public static HttpRequestMessage Get(int port, string path, WorkerProtocol protocol)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}{path}"));
        if (protocol == WorkerProtocol.Http2)
        {
            request.Version = System.Net.HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        else
        {
            request.Version = System.Net.HttpVersion.Version11;
            // No pooled connection should outlive the check.
            request.Headers.ConnectionClose = true;
        }

        return request;
    }
}
