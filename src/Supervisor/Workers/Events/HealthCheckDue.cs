namespace Cluster.Supervisor.Workers.Events;

/// <summary>Time for the periodic health checks of ready and unhealthy workers.</summary>
internal sealed record HealthCheckDue : ControlEvent;
