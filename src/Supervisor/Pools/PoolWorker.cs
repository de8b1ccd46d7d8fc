namespace Cluster.Supervisor.Pools;

/// <summary>
/// One worker of an app's pool as the sizer sees it at a check: starting (not ready yet) or ready, with the requests
/// in flight to it (connections held, with a shared socket), when it was started, and since when it has been idle
/// (<see cref="IdleTracker"/>; null while it is busy or not ready).
/// </summary>
internal sealed record PoolWorker(int Id, bool Ready, long InFlight, DateTimeOffset StartedAt, DateTimeOffset? IdleSince)
{
    /// <summary>Ready and nothing in flight: php-fpm's "idle" child.</summary>
    public bool Idle => Ready && InFlight == 0;
}
