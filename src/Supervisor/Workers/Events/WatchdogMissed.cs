namespace Cluster.Supervisor.Workers.Events;

/// <summary>A worker that declared WATCHDOG_USEC sent no WATCHDOG=1 within it.</summary>
internal sealed record WatchdogMissed(Worker Worker, long Spawn) : ControlEvent;
