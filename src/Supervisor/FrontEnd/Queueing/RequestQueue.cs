namespace Cluster.Supervisor.FrontEnd.Queueing;

/// <summary>
/// One app's queue in front of its workers (HAProxy's per-server maxconn with `timeout queue`, Passenger's request
/// queue): a request takes a worker below worker.maxConcurrency at once when nobody waits before it; otherwise it
/// waits in arrival order, at most queue.maxLength of them and each at most queue.timeout, and is handed a worker as
/// one comes free (<see cref="Drain"/> after a request ends, and after new workers are published). The requests in
/// flight per worker are the ones <see cref="WorkerTraffic"/> counts already: a worker is taken by counting the request
/// in there, below the cap, in one compare-and-swap (<see cref="WorkerPool.TryTake"/>). Without a cap and with a worker
/// ready, nothing waits and the cost is one read of the queue's length.
/// </summary>
/// <remarks>
/// The waiting list takes a lock (only when a request has to wait or one is handed over), so that handing the head a
/// worker and its timing out cannot both happen; the request path without waiting takes none.
/// </remarks>
internal sealed class RequestQueue(WorkerPool pool, QueueSettings settings, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource<WorkerDestination>> _waiting = new();
    private volatile QueueSettings _settings = settings;
    private int _length;

    /// <summary>The settings of a reloaded config; a larger cap hands waiting requests their workers at once.</summary>
    public QueueSettings Settings
    {
        get => _settings;
        set
        {
            _settings = value;
            Drain();
        }
    }

    /// <summary>Requests waiting now (status, metrics, and the pool sizer's "queued").</summary>
    public int Length => Volatile.Read(ref _length);

    /// <summary>A worker for this request, now or once one is free; or why not.</summary>
    public async ValueTask<QueueAdmission> EnterAsync(CancellationToken aborted)
    {
        var current = _settings;
        if (Length == 0 && pool.TryTake(current.MaxConcurrency) is { } free)
        {
            return QueueAdmission.Admitted(free, TimeSpan.Zero);
        }

        var noWorker = pool.Available == 0;
        if (noWorker && !current.WaitForFirstWorker)
        {
            return QueueAdmission.Refused(QueueOutcome.NoWorker, TimeSpan.Zero);
        }

        var arrived = time.GetTimestamp();
        var waiter = new TaskCompletionSource<WorkerDestination>(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<TaskCompletionSource<WorkerDestination>> place;
        lock (_lock)
        {
            if (_waiting.Count == 0 && pool.TryTake(current.MaxConcurrency) is { } freed)
            {
                return QueueAdmission.Admitted(freed, TimeSpan.Zero);
            }

            if (_waiting.Count >= current.MaxLength)
            {
                return QueueAdmission.Refused(QueueOutcome.Full, TimeSpan.Zero);
            }

            place = _waiting.AddLast(waiter);
            _length = _waiting.Count;
        }

        try
        {
            var destination = await waiter.Task.WaitAsync(noWorker ? current.FirstWorkerTimeout : current.Timeout, time, aborted);
            return QueueAdmission.Admitted(destination, time.GetElapsedTime(arrived));
        }
        catch (Exception stopped) when (stopped is TimeoutException or OperationCanceledException)
        {
            lock (_lock)
            {
                if (place.List is not null)
                {
                    _waiting.Remove(place);
                    _length = _waiting.Count;
                }
            }

            // Handed a worker just as it stopped waiting (under the lock, so this is seen): a request out of time takes
            // it after all; one whose client went away gives it back.
            if (waiter.Task.IsCompletedSuccessfully)
            {
                if (stopped is TimeoutException)
                {
                    return QueueAdmission.Admitted(waiter.Task.Result, time.GetElapsedTime(arrived));
                }

                waiter.Task.Result.Traffic.End();
                Drain();
            }

            var outcome = stopped is not TimeoutException ? QueueOutcome.Canceled : pool.Available == 0 ? QueueOutcome.NoWorker : QueueOutcome.TimedOut;
            return QueueAdmission.Refused(outcome, time.GetElapsedTime(arrived));
        }
    }

    /// <summary>Hands free workers to the waiting requests, first come first served; call after a request ends and after a publish.</summary>
    public void Drain()
    {
        if (Length == 0)
        {
            return;
        }

        lock (_lock)
        {
            while (_waiting.First is { } head && pool.TryTake(_settings.MaxConcurrency) is { } destination)
            {
                _waiting.RemoveFirst();
                _length = _waiting.Count;
                head.Value.SetResult(destination);
            }
        }
    }
}
