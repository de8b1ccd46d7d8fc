namespace Cluster.Supervisor.Workers.Events;

internal sealed record RestartDue(Worker Worker, long Spawn) : ControlEvent;
