using System.Diagnostics;

namespace Cluster.Supervisor.Metrics;

/// <summary>
/// Request latency in fixed buckets, recorded on the request path with two Interlocked operations and no allocation.
/// System.Diagnostics.Metrics has no observable histogram, and a <c>Histogram&lt;double&gt;</c> would call a
/// listener on every request; this one is only read when scraped.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Seconds, from a fast loopback answer to a slow one: 0.5 ms to 10 s.</summary>
    public static readonly double[] ProxyBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;
    private readonly long[] _boundTicks;
    private readonly long[] _counts;
    private long _sumTicks;

    public LatencyHistogram(double[] upperBoundsSeconds)
    {
        _bounds = upperBoundsSeconds;
        _boundTicks = upperBoundsSeconds.Select(seconds => (long)(seconds * Stopwatch.Frequency)).ToArray();
        _counts = new long[upperBoundsSeconds.Length + 1];
    }

    /// <summary>Records one observation of <paramref name="elapsedTicks"/> Stopwatch ticks.</summary>
    public void Record(long elapsedTicks)
    {
        var bucket = 0;
        while (bucket < _boundTicks.Length && elapsedTicks > _boundTicks[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumTicks, elapsedTicks);
    }

    public HistogramSnapshot Snapshot()
    {
        var cumulative = new long[_counts.Length];
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            total += Interlocked.Read(ref _counts[i]);
            cumulative[i] = total;
        }

        return new HistogramSnapshot(_bounds, cumulative, (double)Interlocked.Read(ref _sumTicks) / Stopwatch.Frequency);
    }
}
