using System.Collections.Concurrent;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// The ready workers the front end balances over: an immutable array swapped whole when the control loop publishes,
/// read without locks on every request. Traffic counters outlive a worker's time in rotation, for draining.
/// </summary>
internal sealed class WorkerPool
{
    private readonly ConcurrentDictionary<WorkerEndpoint, WorkerTraffic> _traffic = new();
    private volatile WorkerDestination[] _ready = [];
    private volatile LoadBalancingPolicy _policy;
    private uint _next;

    public WorkerPool(LoadBalancingPolicy policy) => _policy = policy;

    public LoadBalancingPolicy Policy
    {
        get => _policy;
        set => _policy = value;
    }

    /// <summary>The ready workers that have not failed a connection.</summary>
    public int Available => _ready.Count(d => !d.Unreachable);

    public void Publish(IReadOnlyList<WorkerEndpoint> ready)
    {
        var previous = _ready;
        _ready = ready
            .Select(endpoint => Array.Find(previous, d => d.Endpoint == endpoint) ?? new WorkerDestination(endpoint, _traffic.GetOrAdd(endpoint, _ => new WorkerTraffic())))
            .ToArray();
    }

    /// <summary>A worker for the next request by the configured policy, never <paramref name="except"/>; null when none is left.</summary>
    public WorkerDestination? Pick(WorkerDestination? except = null) => Pick(_ready, except, cap: null);

    private WorkerDestination? Pick(WorkerDestination[] all, WorkerDestination? except, int? cap) => _policy switch
    {
        LoadBalancingPolicy.PowerOfTwoChoices => PowerOfTwoChoices(all, except, cap),
        LoadBalancingPolicy.LeastRequests => LeastRequests(all, except, cap),
        _ => RoundRobin(all, except, cap),
    };

    /// <summary>
    /// A worker with fewer than <paramref name="cap"/> requests in flight (worker.maxConcurrency; null: any), by the
    /// policy, never <paramref name="except"/>, with the request already counted in (<see cref="WorkerTraffic.TryBegin"/>);
    /// null when every worker is at its cap or none is ready. A worker taken by another request in between is skipped.
    /// </summary>
    public WorkerDestination? TryTake(int? cap, WorkerDestination? except = null)
    {
        var all = _ready;
        for (var attempt = 0; attempt <= all.Length; attempt++)
        {
            if (Pick(all, except, cap) is not { } destination)
            {
                return null;
            }

            if (destination.Traffic.TryBegin(cap))
            {
                return destination;
            }
        }

        return null;
    }

    public long Served(WorkerEndpoint worker) => _traffic.TryGetValue(worker, out var traffic) ? traffic.Served : 0;

    public long InFlight(WorkerEndpoint worker) => _traffic.TryGetValue(worker, out var traffic) ? traffic.InFlight : 0;

    public Task WhenIdleAsync(WorkerEndpoint worker) => _traffic.TryGetValue(worker, out var traffic) ? traffic.WhenIdleAsync() : Task.CompletedTask;

    public void Forget(WorkerEndpoint worker) => _traffic.TryRemove(worker, out _);

    private static bool Usable(WorkerDestination destination, WorkerDestination? except, int? cap) =>
        !destination.Unreachable && destination != except && (cap is null || destination.Traffic.InFlight < cap);

    private WorkerDestination? RoundRobin(WorkerDestination[] all, WorkerDestination? except, int? cap)
    {
        if (all.Length == 0)
        {
            return null;
        }

        var start = Interlocked.Increment(ref _next);
        for (var i = 0u; i < all.Length; i++)
        {
            var candidate = all[(start + i) % (uint)all.Length];
            if (Usable(candidate, except, cap))
            {
                return candidate;
            }
        }

        return null;
    }

    private static WorkerDestination? PowerOfTwoChoices(WorkerDestination[] all, WorkerDestination? except, int? cap)
    {
        if (all.Length == 0)
        {
            return null;
        }

        if (all.Length == 1)
        {
            return Usable(all[0], except, cap) ? all[0] : null;
        }

        // Two different workers at random; the less busy one wins.
        var firstIndex = Random.Shared.Next(all.Length);
        var first = all[firstIndex];
        var second = all[(firstIndex + 1 + Random.Shared.Next(all.Length - 1)) % all.Length];
        if (Usable(first, except, cap) && Usable(second, except, cap))
        {
            return first.Traffic.InFlight <= second.Traffic.InFlight ? first : second;
        }

        // A draw hit an excluded worker: fall back to the least busy of the usable ones.
        return LeastRequests(all, except, cap);
    }

    private static WorkerDestination? LeastRequests(WorkerDestination[] all, WorkerDestination? except, int? cap)
    {
        WorkerDestination? best = null;
        foreach (var candidate in all)
        {
            if (Usable(candidate, except, cap) && (best is null || candidate.Traffic.InFlight < best.Traffic.InFlight))
            {
                best = candidate;
            }
        }

        return best;
    }
}
