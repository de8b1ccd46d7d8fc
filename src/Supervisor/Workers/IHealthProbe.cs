using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers;

internal interface IHealthProbe
{
    /// <summary>One health check of the worker on <paramref name="port"/> in <paramref name="protocol"/>, bounded by the config's timeout; never throws.</summary>
    Task<HealthCheckResult> CheckAsync(int port, HealthConfig config, WorkerProtocol protocol, CancellationToken cancellationToken);
}
