namespace Cluster.Supervisor.Workers;

/// <summary>The front end as the control loop sees it (the proxy or the shared socket); the host holds it as <c>IPublicFrontEnd</c>.</summary>
internal interface IFrontEnd
{
    /// <summary>
    /// Whether requests pass through the supervisor (the proxy): then it counts them per worker and drains a worker
    /// leaving the rotation by them. Without (a shared socket), a worker is told to stop and drains itself.
    /// </summary>
    bool CountsRequests { get; }

    /// <summary>Replaces the set of workers that receive traffic; takes effect for the next request.</summary>
    void Publish(IReadOnlyList<WorkerEndpoint> readyWorkers);

    /// <summary>Applies the live part of a reloaded config (balancing policy, retry, timeouts).</summary>
    void Configure(Cluster.Shared.Configuration.SupervisorConfig config);

    /// <summary>Requests the worker has been sent so far (for recycle.maxRequests).</summary>
    long Served(WorkerEndpoint worker);

    /// <summary>Requests the worker is serving right now.</summary>
    long InFlight(WorkerEndpoint worker);

    /// <summary>Completes once the worker, already out of rotation, has no request in flight (upgraded connections do not count).</summary>
    Task WhenIdleAsync(WorkerEndpoint worker);

    /// <summary>
    /// With a shared socket, after the worker was sent SIGSTOP: the client connections its processes hold once every
    /// one of their threads has stopped, or null if they did not all stop in time. Always 0 for the proxy.
    /// </summary>
    Task<long?> ConnectionsHeldWhenStoppedAsync(WorkerEndpoint worker);

    /// <summary>Drops what the front end keeps about a worker that has exited.</summary>
    void Forget(WorkerEndpoint worker);

    /// <summary>
    /// Stops accepting connections and waits, at most <paramref name="drainTimeout"/>, for in-flight requests. Upgraded
    /// connections (WebSockets) are not waited for: they stay open until their workers, stopped next, close them.
    /// </summary>
    Task DrainAsync(TimeSpan drainTimeout);

    /// <summary>
    /// Another supervisor serves these sockets (the new one after an upgrade; or, for a supervisor whose takeover
    /// failed, the one it was to replace): stops accepting at once, without announcing a stop on the health endpoint
    /// (the other supervisor answers it), then drains as <see cref="DrainAsync"/> does.
    /// </summary>
    Task HandOverAsync(TimeSpan drainTimeout);
}
