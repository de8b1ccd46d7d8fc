using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers;

internal interface IReadinessProbe
{
    /// <summary>Completes when the worker on <paramref name="port"/> is ready by <paramref name="config"/>; keeps trying until cancelled.</summary>
    Task WaitUntilReadyAsync(int port, ReadinessConfig config, CancellationToken cancellationToken);
}
