namespace Cluster.Supervisor.Workers;

internal interface IReadinessProbe
{
    /// <summary>A short description for logs, e.g. "TCP connect" or "GET /healthz".</summary>
    string Description { get; }

    /// <summary>Completes when the worker on <paramref name="port"/> is ready; keeps trying until cancelled.</summary>
    Task WaitUntilReadyAsync(int port, CancellationToken cancellationToken);
}
