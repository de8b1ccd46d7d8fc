namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// Requests sent to one worker process and still in flight; updated lock-free on the request path. A request whose
/// connection was upgraded (a WebSocket) leaves the in-flight count the moment it is upgraded and is counted apart
/// until it ends: it lasts as long as the app keeps it open, so a worker leaving the rotation drains by its HTTP
/// requests only, and is then told to stop, which is what makes the app close its sockets (with a close frame).
/// </summary>
internal sealed class WorkerTraffic
{
    private long _inFlight;
    private long _served;
    private long _upgraded;
    private TaskCompletionSource? _idle;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Served => Interlocked.Read(ref _served);

    /// <summary>Upgraded connections (WebSockets) to this worker still open.</summary>
    public long Upgraded => Interlocked.Read(ref _upgraded);

    public void Begin()
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _served);
    }

    /// <summary>
    /// Counts a request in if fewer than <paramref name="cap"/> are in flight (worker.maxConcurrency; no cap: always);
    /// false, counting nothing, when it is at its cap. One compare-and-swap, so two requests cannot both take the last place.
    /// </summary>
    public bool TryBegin(int? cap)
    {
        if (cap is not { } limit)
        {
            Begin();
            return true;
        }

        var current = Interlocked.Read(ref _inFlight);
        while (current < limit)
        {
            var seen = Interlocked.CompareExchange(ref _inFlight, current + 1, current);
            if (seen == current)
            {
                Interlocked.Increment(ref _served);
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>A request that has not been upgraded ended.</summary>
    public void End()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            Volatile.Read(ref _idle)?.TrySetResult();
        }
    }

    /// <summary>The request in flight became an upgraded connection: it no longer holds a drain back.</summary>
    public void Upgrade()
    {
        Interlocked.Increment(ref _upgraded);
        End();
    }

    /// <summary>An upgraded connection ended.</summary>
    public void EndUpgraded() => Interlocked.Decrement(ref _upgraded);

    /// <summary>Completes when no request is in flight (upgraded connections do not count); meant for a worker no longer in rotation.</summary>
    public Task WhenIdleAsync()
    {
        Interlocked.CompareExchange(ref _idle, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
        // Checked after publishing the waiter, so a request ending in between cannot be missed.
        if (InFlight == 0)
        {
            _idle!.TrySetResult();
        }

        return _idle!.Task;
    }
}
