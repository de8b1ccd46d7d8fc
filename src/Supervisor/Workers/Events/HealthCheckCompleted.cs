namespace Cluster.Supervisor.Workers.Events;

internal sealed record HealthCheckCompleted(Worker Worker, long Spawn, HealthCheckResult Result) : ControlEvent;
