using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Metrics;

/// <summary>
/// What the front end counts on the request path: a few Interlocked increments per request, no lock, no allocation.
/// Read only when metrics are scraped, through <see cref="SupervisorMetrics"/>'s observable instruments.
/// </summary>
internal sealed class FrontEndCounters
{
    private readonly long[] _byStatusClass = new long[5];
    private readonly long[] _proxyErrors = new long[ProxyErrorKinds.All.Length];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SlotCounters> _apps = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, QueueCounters> _queues = new(StringComparer.Ordinal);
    private long _retries;
    private long _rateLimited;
    private long _noWorkerReady;

    /// <summary>The latency of the requests answered before an app was chosen: no app matched, or the redirect to HTTPS.</summary>
    private readonly LatencyHistogram _unrouted = new(LatencyHistogram.ProxyBounds);

    public long Retries => Interlocked.Read(ref _retries);

    public long RateLimitedRequests => Interlocked.Read(ref _rateLimited);

    public long NoWorkerReadyRequests => Interlocked.Read(ref _noWorkerReady);

    /// <summary>
    /// A request answered (by a worker or by the front end itself) with <paramref name="status"/>; its latency goes to
    /// the series of <paramref name="app"/>, the app its route chose, or to the unlabelled one when none was chosen.
    /// </summary>
    public void Answered(int status, long elapsedTicks, SlotCounters? app = null)
    {
        Interlocked.Increment(ref _byStatusClass[Math.Clamp(status / 100, 1, 5) - 1]);
        if (app is null)
        {
            _unrouted.Record(elapsedTicks);
        }
        else
        {
            app.Answered(status, elapsedTicks);
        }
    }

    /// <summary>The latency histogram's series: the unlabelled one (requests no app was chosen for), then one per app by name.</summary>
    public IEnumerable<HistogramSeries> LatencySeries() =>
        [new HistogramSeries([], _unrouted.Snapshot()), .. _apps.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new HistogramSeries([new("app", a.Key)], a.Value.Latency.Snapshot()))];

    /// <summary>The latency of every request answered, whatever its app (for `top`).</summary>
    public HistogramSnapshot Latency() => LatencySeries().Select(s => s.Snapshot).Aggregate((total, series) => total.Plus(series));

    public void Retried() => Interlocked.Increment(ref _retries);

    public void ProxyError(ProxyErrorKind kind) => Interlocked.Increment(ref _proxyErrors[(int)kind]);

    public void RateLimited() => Interlocked.Increment(ref _rateLimited);

    public void NoWorkerReady() => Interlocked.Increment(ref _noWorkerReady);

    /// <summary>The per-slot request counts of one app; looked up once per app by the front end, not per request.</summary>
    public SlotCounters ForApp(string app) => _apps.GetOrAdd(app, _ => new SlotCounters());

    /// <summary>The counts of one app's request queue; looked up once per app by the front end, not per request.</summary>
    public QueueCounters ForQueue(string app) => _queues.GetOrAdd(app, _ => new QueueCounters());

    /// <summary>Every app's queue counts (the apps a proxy has served), by app name.</summary>
    public IEnumerable<KeyValuePair<string, QueueCounters>> Queues => _queues.OrderBy(q => q.Key, StringComparer.Ordinal);

    /// <summary>A request (or a retry) sent to worker slot <paramref name="workerId"/> of the app "default".</summary>
    public void SentTo(int workerId) => ForApp(AppConfig.DefaultName).SentTo(workerId);

    /// <summary>Requests answered with a status of <paramref name="statusClass"/>xx (1 to 5).</summary>
    public long AnsweredWith(int statusClass) => Interlocked.Read(ref _byStatusClass[statusClass - 1]);

    public long ProxyErrors(ProxyErrorKind kind) => Interlocked.Read(ref _proxyErrors[(int)kind]);

    /// <summary>The apps requests were routed to so far, with their counts.</summary>
    public IEnumerable<(string App, SlotCounters Counts)> Apps => _apps.Select(a => (a.Key, a.Value));

    public long SentToSlot(string app, int workerId) => _apps.TryGetValue(app, out var slots) ? slots.SentToSlot(workerId) : 0;
}
