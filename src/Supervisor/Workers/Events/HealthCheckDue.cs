namespace Cluster.Supervisor.Workers.Events;

/// <summary>Time for the periodic health checks of an app's ready and unhealthy workers.</summary>
internal sealed record HealthCheckDue(WorkerGroup Group) : ControlEvent;
