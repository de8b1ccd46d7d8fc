namespace Cluster.Supervisor.Workers;

internal interface IHealthProbe
{
    /// <summary>One health check of the worker on <paramref name="port"/>, bounded by health.timeout; never throws.</summary>
    Task<HealthCheckResult> CheckAsync(int port, CancellationToken cancellationToken);
}
