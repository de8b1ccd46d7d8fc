namespace Cluster.Supervisor.Workers.Events;

/// <summary>The new supervisor holds the control socket and the pid file: this one drains and stops.</summary>
internal sealed record SuccessorTookOver(ISuccessor Successor) : ControlEvent;
