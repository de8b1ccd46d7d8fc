namespace Cluster.Supervisor.Workers.Events;

internal sealed record ReachabilityTimedOut(Worker Worker, long Spawn) : ControlEvent;
