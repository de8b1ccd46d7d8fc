using Cluster.Supervisor.SharedSocket;
using Cluster.Supervisor.Workers.Routing;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// A front end as the control loop sees it (the proxy, or a shared socket); the host holds it as <c>IPublicFrontEnd</c>.
/// Each app's group has the front end that serves it; every member means the same for every front end.
/// </summary>
internal interface IFrontEnd
{
    /// <summary>
    /// Whether a worker this front end has taken out of its rotation can still be handed new clients: false for the
    /// proxy, which sends it nothing more; true for a shared socket, where the kernel hands connections to every
    /// process accepting on it, so that only the worker itself can stop that: SIGTERM (it then finishes its own
    /// requests and exits) to stop it, SIGSTOP to park it. The loop drains, parks and reports by this.
    /// </summary>
    bool ReachableOutOfRotation { get; }

    /// <summary>The listening socket its workers inherit and accept from themselves (fd 3); null when they listen on their own port.</summary>
    SharedListener? WorkerSocket { get; }

    /// <summary>Replaces its apps' routes and ready workers; takes effect for the next request.</summary>
    void Publish(RoutingSnapshot routing);

    /// <summary>Applies the live part of a reloaded config (retry, timeouts, forwarded headers, certificates).</summary>
    void Configure(Cluster.Shared.Configuration.SupervisorConfig config);

    /// <summary>Requests the worker has been sent so far (for recycle.maxRequests).</summary>
    long Served(WorkerEndpoint worker);

    /// <summary>Requests the worker is serving right now.</summary>
    long InFlight(WorkerEndpoint worker);

    /// <summary>
    /// Requests for <paramref name="app"/> that this front end holds back, waiting for a worker of that app (the proxy's
    /// request queue, worker.maxConcurrency and queue.*); 0 for a front end that holds no request back: with a shared
    /// socket the workers accept the connections themselves, and what waits is in the kernel's accept queue
    /// (<see cref="SharedSocket.AcceptQueue"/>), not here.
    /// </summary>
    int RequestsWaiting(string app);

    /// <summary>
    /// What the pool sizer reads of <paramref name="app"/> at a check: how busy each of <paramref name="workers"/> is,
    /// in their order (requests in flight and served through the proxy; client connections held, with a shared socket,
    /// read from /proc once for all), and what waits for a worker: the requests this front end holds back
    /// (<see cref="RequestsWaiting"/>), or with a shared socket the connections in the kernel's accept queue.
    /// </summary>
    AppActivity Activity(string app, IReadOnlyList<WorkerEndpoint> workers);

    /// <summary>
    /// Completes once the worker, already out of rotation, holds nothing this front end can see it serve: requests in
    /// flight (the proxy; upgraded connections do not count), client connections (a shared socket, from /proc).
    /// </summary>
    Task WhenIdleAsync(WorkerEndpoint worker);

    /// <summary>
    /// After the worker was sent SIGSTOP: the client connections its processes hold once every one of their threads
    /// has stopped, or null if they did not all stop in time. Always 0 where nothing reaches a worker out of rotation.
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
