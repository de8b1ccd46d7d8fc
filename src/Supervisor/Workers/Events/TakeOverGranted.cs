namespace Cluster.Supervisor.Workers.Events;

/// <summary>
/// In a supervisor started by an upgrade: the predecessor has released its files (or is gone: <paramref name="PredecessorGone"/>),
/// so this one takes over.
/// </summary>
internal sealed record TakeOverGranted(bool PredecessorGone) : ControlEvent;
