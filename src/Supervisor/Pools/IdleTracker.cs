namespace Cluster.Supervisor.Pools;

/// <summary>
/// Since when each worker has been idle, from what a check sees of it: a worker is idle from the first check that
/// finds it ready with nothing in flight and nothing served since the check before (a worker that serves short
/// requests between two checks is not idle, though it has nothing in flight at either). With a shared socket,
/// "served" is the connections it accepted. Owned by the control loop, which forgets a worker once it is gone.
/// </summary>
internal sealed class IdleTracker
{
    private readonly Dictionary<int, (long Served, DateTimeOffset? Since)> _seen = [];

    /// <summary>The worker's idle-since time after this check; null while it is busy or not ready.</summary>
    public DateTimeOffset? Observe(int workerId, bool ready, long inFlight, long served, DateTimeOffset now)
    {
        var since = !ready || inFlight > 0 ? (DateTimeOffset?)null
            : _seen.TryGetValue(workerId, out var before) && before.Served == served && before.Since is { } idle ? idle
            : now;
        _seen[workerId] = (served, since);
        return since;
    }

    /// <summary>Forgets every worker but <paramref name="workerIds"/> (the app's slot holders at this check).</summary>
    public void Keep(IReadOnlyCollection<int> workerIds)
    {
        foreach (var gone in _seen.Keys.Where(id => !workerIds.Contains(id)).ToList())
        {
            _seen.Remove(gone);
        }
    }

    /// <summary>The worker exited or was retired: a new process in its slot is new to the tracker.</summary>
    public void Forget(int workerId) => _seen.Remove(workerId);
}
