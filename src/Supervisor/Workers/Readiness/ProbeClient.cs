namespace Cluster.Supervisor.Workers.Readiness;

internal static class ProbeClient
{
    /// <summary>The client for readiness and health checks: never through a proxy, short connect timeout, no cookies or redirects.</summary>
    public static HttpMessageInvoker Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(1),
    });
}
