namespace Cluster.Supervisor.Workers.Events;

internal sealed record ReadinessTimedOut(Worker Worker, long Spawn) : ControlEvent;
