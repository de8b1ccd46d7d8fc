namespace Cluster.Supervisor.FrontEnd;

/// <summary>Requests sent to one worker process and still in flight; updated lock-free on the request path.</summary>
internal sealed class WorkerTraffic
{
    private long _inFlight;
    private long _served;
    private TaskCompletionSource? _idle;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Served => Interlocked.Read(ref _served);

    public void Begin()
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _served);
    }

    public void End()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            Volatile.Read(ref _idle)?.TrySetResult();
        }
    }

    /// <summary>Completes when nothing is in flight; meant for a worker no longer in rotation.</summary>
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
