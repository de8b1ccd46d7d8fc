namespace Cluster.Supervisor.Workers.Events;

/// <summary>The new supervisor exited, or gave up (a worker of its failed), before it took over.</summary>
internal sealed record SuccessorFailed(ISuccessor Successor, string Reason) : ControlEvent;
