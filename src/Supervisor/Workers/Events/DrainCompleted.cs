namespace Cluster.Supervisor.Workers.Events;

/// <summary>A draining worker has no request left in flight.</summary>
internal sealed record DrainCompleted(Worker Worker, long Spawn) : ControlEvent;
