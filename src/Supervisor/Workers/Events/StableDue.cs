namespace Cluster.Supervisor.Workers.Events;

/// <summary>The worker has been up for restart.resetAfter: it counts as stable.</summary>
internal sealed record StableDue(Worker Worker, long Spawn) : ControlEvent;
