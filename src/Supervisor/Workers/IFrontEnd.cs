namespace Cluster.Supervisor.Workers;

/// <summary>What the control loop needs from the public-facing proxy.</summary>
internal interface IFrontEnd
{
    /// <summary>Replaces the set of workers that receive traffic; takes effect for the next request.</summary>
    void Publish(IReadOnlyList<WorkerEndpoint> readyWorkers);

    /// <summary>Stops accepting connections and waits, at most <paramref name="drainTimeout"/>, for in-flight requests.</summary>
    Task StopAsync(TimeSpan drainTimeout);
}
