namespace Cluster.Supervisor.Workers.Events;

/// <summary>The stop timeout after SIGTERM has passed.</summary>
internal sealed record StopTimeoutElapsed(Worker Worker, long Spawn) : ControlEvent;
