using System.Diagnostics;

namespace Cluster.Supervisor.Metrics;

/// <summary>
/// One app's request queue as the metrics count it: how long the requests that had to wait waited (however they left
/// the queue), and the requests it refused, by reason. Touched only by requests that wait or are refused: one that
/// gets a worker at once records nothing here.
/// </summary>
internal sealed class QueueCounters
{
    /// <summary>Seconds, from a worker freed a moment later to queue.timeout's default (30s) and beyond.</summary>
    public static readonly double[] WaitBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private long _full;
    private long _timedOut;

    public LatencyHistogram Wait { get; } = new(WaitBounds);

    /// <summary>Refused with 503 at once: queue.maxLength requests were waiting already.</summary>
    public long FullRequests => Interlocked.Read(ref _full);

    /// <summary>Answered 504 after waiting queue.timeout.</summary>
    public long TimedOutRequests => Interlocked.Read(ref _timedOut);

    /// <summary>A request waited this long in the queue before it left it (with a worker, at its timeout, or gone).</summary>
    public void Waited(TimeSpan waited) => Wait.Record((long)(waited.TotalSeconds * Stopwatch.Frequency));

    public void Full() => Interlocked.Increment(ref _full);

    public void TimedOut() => Interlocked.Increment(ref _timedOut);
}
