using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Pools;

/// <summary>
/// One app at a check: its configured count or range, its pool's members (starting and ready; not the ones being
/// retired or stopped), and the requests waiting in its queue (the listen backlog, with a shared socket).
/// </summary>
internal sealed record AppLoad(string App, WorkerCount Workers, int? MaxConcurrency, IReadOnlyList<PoolWorker> Members, long Queued)
{
    public int Total => Members.Count;
    public int Ready => Members.Count(m => m.Ready);
    public int Starting => Members.Count(m => !m.Ready);
    public int Idle => Members.Count(m => m.Idle);
    public long InFlight => Members.Sum(m => m.InFlight);

    /// <summary>
    /// The workers the queue asks for: none while nothing waits; else as many as it takes to serve what waits at
    /// worker.maxConcurrency each, or one when there is no cap (a worker without a cap takes every waiting request).
    /// </summary>
    public int WantedForQueue => Queued == 0 ? 0 : MaxConcurrency is { } cap ? (int)Math.Min(int.MaxValue, (Queued + cap - 1) / cap) : 1;

    /// <summary>
    /// The idle workers to keep in hand: the range's spare, except that an app on demand (min 0) with no request in
    /// flight and none waiting keeps none, so that an idle app has no worker.
    /// </summary>
    public int SpareWanted => Workers.Range is { } range && !(range.OnDemand && InFlight == 0 && Queued == 0) ? range.Spare : 0;
}
