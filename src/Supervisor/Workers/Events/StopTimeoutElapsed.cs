namespace Cluster.Supervisor.Workers.Events;

/// <summary>The stop timeout after the stop signal has passed.</summary>
internal sealed record StopTimeoutElapsed(Worker Worker, long Spawn) : ControlEvent;
