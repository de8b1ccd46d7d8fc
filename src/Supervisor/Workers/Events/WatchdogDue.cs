namespace Cluster.Supervisor.Workers.Events;

/// <summary>Time to tell the service manager's watchdog that the control loop is alive (handled by the loop on purpose).</summary>
internal sealed record WatchdogDue : ControlEvent;
