using Cluster.Shared.Configuration;
using Cluster.Supervisor.SharedSocket;

namespace Cluster.Supervisor.Workers;

internal interface IReadinessProbe
{
    /// <summary>
    /// Completes when the worker process <paramref name="pid"/> on <paramref name="port"/> is ready by its
    /// worker.readiness, checked in its worker.protocol (or, with readiness.accepting, on <paramref name="socket"/>);
    /// keeps trying until cancelled.
    /// </summary>
    Task WaitUntilReadyAsync(int port, int pid, WorkerConfig worker, SharedListener? socket, CancellationToken cancellationToken);
}
