namespace Cluster.Supervisor.Pools;

/// <summary>
/// One decision of a check, with the reason the log gives for it:
/// "app shop: 3 -> 4 workers: 0 of 3 idle, 12 queued".
/// </summary>
/// <param name="From">The app's workers (starting and ready) before.</param>
/// <param name="To">The app's workers once it is carried out.</param>
/// <param name="Why">The cause alone, for metrics labels: "spare", "queue", "min", "idle", "maxWorkers".</param>
internal sealed record PoolDecision(string App, PoolAction Action, int Count, int? WorkerId, int From, int To, string Why, string Reason)
{
    public override string ToString() => Reason;
}
