namespace Cluster.Supervisor.Workers.Events;

internal sealed record WorkerReadinessPassed(Worker Worker, long Spawn) : ControlEvent;
