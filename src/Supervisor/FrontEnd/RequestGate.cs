namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// The requests on their way to a worker, counted across the front end, so that a stop can tell when the last one
/// has finished: then the gate closes, and only then are the workers told to stop. A request that arrives after that
/// (on a keep-alive connection Kestrel had not closed yet) is turned away rather than sent to a stopping worker.
/// Upgraded connections (WebSockets) leave the count the moment they are upgraded: they end when their app closes
/// them, which it does once its worker is told to stop. One Interlocked operation on the way in and one on the way
/// out; no lock.
/// </summary>
internal sealed class RequestGate
{
    // The count of requests in flight, with two flags above it: closing (a stop waits for the count to reach 0) and
    // closed (no request gets in any more). One word, so that "the count is 0" and "closed" change together.
    private const long Closing = 1L << 60;
    private const long Closed = 1L << 61;
    private const long CountMask = Closing - 1;

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _state;
    private long _upgraded;

    /// <summary>Upgraded connections still relayed.</summary>
    public long Upgraded => Interlocked.Read(ref _upgraded);

    /// <summary>Requests in flight that were not upgraded.</summary>
    public long InFlight => Interlocked.Read(ref _state) & CountMask;

    /// <summary>Counts a request in; false once the gate is closed (the request must then not reach a worker).</summary>
    public bool TryEnter()
    {
        if ((Interlocked.Increment(ref _state) & Closed) == 0)
        {
            return true;
        }

        Interlocked.Decrement(ref _state);
        return false;
    }

    /// <summary>A request let in by <see cref="TryEnter"/> ended; <paramref name="upgraded"/> if it had been upgraded.</summary>
    public void Leave(bool upgraded)
    {
        if (upgraded)
        {
            Interlocked.Decrement(ref _upgraded);
        }
        else if (Interlocked.Decrement(ref _state) == Closing)
        {
            TryClose();
        }
    }

    /// <summary>The request let in became an upgraded connection; it is no longer waited for.</summary>
    public void Upgrade()
    {
        Interlocked.Increment(ref _upgraded);
        if (Interlocked.Decrement(ref _state) == Closing)
        {
            TryClose();
        }
    }

    /// <summary>Closes the gate once no request is in flight; completes then.</summary>
    public Task CloseWhenIdleAsync()
    {
        Interlocked.Or(ref _state, Closing);
        TryClose();
        return _closed.Task;
    }

    /// <summary>Closes the gate now, requests still in flight or not (the drain timed out).</summary>
    public void Close()
    {
        Interlocked.Or(ref _state, Closing | Closed);
        _closed.TrySetResult();
    }

    private void TryClose()
    {
        // Only from "closing, nothing in flight": a request counted in meanwhile makes this fail, and its Leave retries.
        if (Interlocked.CompareExchange(ref _state, Closing | Closed, Closing) == Closing)
        {
            _closed.TrySetResult();
        }
    }
}
