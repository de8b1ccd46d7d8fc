namespace Cluster.Supervisor.Logging;

/// <summary>
/// Which lines a reader of the ring wants: one slot's (its lifecycle lines and its output) or all; with
/// <see cref="LifecycleOnly"/>, none of the workers' output (`supervisor top` shows only lifecycle lines). The
/// default is every line.
/// </summary>
internal readonly record struct LogLineFilter(int? WorkerId = null, bool LifecycleOnly = false)
{
    public bool Matches(in RingLine line) => (WorkerId is null || line.WorkerId == WorkerId) && !(LifecycleOnly && line.IsOutput);
}
