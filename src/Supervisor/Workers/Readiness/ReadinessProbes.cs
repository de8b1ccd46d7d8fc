using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers.Readiness;

internal static class ReadinessProbes
{
    public static IReadinessProbe For(ReadinessConfig config, TimeProvider time, HttpMessageInvoker client) =>
        config.HttpPath is null
            ? new TcpReadinessProbe(config.Interval, time)
            : new HttpReadinessProbe(config.HttpPath, config.Interval, time, client);

    public static IHealthProbe HealthFor(HealthConfig config, TimeProvider time, HttpMessageInvoker client) =>
        config.HttpPath is null ? new DisabledHealthProbe() : new HttpHealthProbe(config.HttpPath, config.Timeout, time, client);

    /// <summary>The client for HTTP checks: never through a proxy, short connect timeout, no cookies or redirects.</summary>
    public static HttpMessageInvoker CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(1),
    });
}
