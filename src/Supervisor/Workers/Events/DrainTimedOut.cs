namespace Cluster.Supervisor.Workers.Events;

internal sealed record DrainTimedOut(Worker Worker, long Spawn) : ControlEvent;
