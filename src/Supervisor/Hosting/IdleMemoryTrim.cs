namespace Cluster.Supervisor.Hosting;

/// <summary>
/// Every 30 s, unless the GC has collected on its own since the last tick (that is, the supervisor is busy), a full
/// collection that gives the memory it frees back to the system (<see cref="GCCollectionMode.Aggressive"/>), then the
/// same for the C library's heap (<see cref="NativeHeap"/>).
/// </summary>
/// <remarks>
/// The GC collects only once its allocation budget is spent, and it sizes that budget from the CPU cache: 52 MB on the
/// build machine (105 MB of L3). Idle, the supervisor allocates a few KB a second (health checks, timers), so it would
/// grow for an hour or more before its first collection, which looks like a leak from the outside; and after a burst
/// of traffic it would keep the burst's memory (bench/memory.sh, bench/run.sh: 0.5 MB a minute idle; 124 MB after a
/// load, 69 MB 30-60 s later with this). Collecting a heap of a few MB takes milliseconds. Under load the GC collects
/// many times a second by itself, so the tick finds a newer collection and does nothing; under light load (a budget
/// not spent in 30 s) the price is one pause of a few milliseconds every 30 s.
/// </remarks>
internal sealed class IdleMemoryTrim : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly ITimer _timer;
    private readonly Func<int> _collections;
    private readonly Action _collect;
    private int _seen;

    public IdleMemoryTrim(TimeProvider time)
        : this(time, () => GC.CollectionCount(0), TrimNow)
    {
    }

    /// <summary>For tests: the collection count to watch and the collection to make.</summary>
    internal IdleMemoryTrim(TimeProvider time, Func<int> collections, Action collect)
    {
        _collections = collections;
        _collect = collect;
        _seen = collections();
        _timer = time.CreateTimer(_ => Tick(), null, Interval, Interval);
    }

    public void Dispose() => _timer.Dispose();

    private static void TrimNow()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    private void Tick()
    {
        var now = _collections();
        if (now == _seen)
        {
            _collect();
            now = _collections();
        }

        _seen = now;
    }
}
