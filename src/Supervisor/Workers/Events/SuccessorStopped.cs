namespace Cluster.Supervisor.Workers.Events;

/// <summary>A failed upgrade's new supervisor, and everything it started, is gone.</summary>
internal sealed record SuccessorStopped(ISuccessor Successor) : ControlEvent;
