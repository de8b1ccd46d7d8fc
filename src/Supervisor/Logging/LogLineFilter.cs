namespace Cluster.Supervisor.Logging;

/// <summary>
/// Which lines a reader of the ring wants: one slot's (its lifecycle lines and its output) or all; with
/// <see cref="LifecycleOnly"/>, none of the workers' output (`supervisor top` shows only lifecycle lines). The
/// default is every line. With <see cref="App"/>, only the lines about that app's workers (and its own, such as its
/// reloads); a slot id is then one of that app's.
/// </summary>
internal readonly record struct LogLineFilter(int? WorkerId = null, bool LifecycleOnly = false, string? App = null)
{
    public bool Matches(in RingLine line) =>
        (WorkerId is null || line.WorkerId == WorkerId) && (App is null || line.App == App) && !(LifecycleOnly && line.IsOutput);
}
