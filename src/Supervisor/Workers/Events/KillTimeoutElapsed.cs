namespace Cluster.Supervisor.Workers.Events;

/// <summary>The bounded wait after SIGKILL has passed.</summary>
internal sealed record KillTimeoutElapsed(Worker Worker, long Spawn) : ControlEvent;
