namespace Cluster.Supervisor.Workers.Events;

/// <summary>Asks the loop for a copy of its state and worker table.</summary>
internal sealed record StatusRequested(TaskCompletionSource<LoopStatus> Reply) : ControlEvent;
