using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers;

internal interface IReadinessProbe
{
    /// <summary>Completes when the worker process <paramref name="pid"/> on <paramref name="port"/> is ready by <paramref name="config"/>; keeps trying until cancelled.</summary>
    Task WaitUntilReadyAsync(int port, int pid, ReadinessConfig config, CancellationToken cancellationToken);
}
