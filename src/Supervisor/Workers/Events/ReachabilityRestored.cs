namespace Cluster.Supervisor.Workers.Events;

internal sealed record ReachabilityRestored(Worker Worker, long Spawn) : ControlEvent;
