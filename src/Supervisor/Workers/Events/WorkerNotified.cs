using Cluster.Supervisor.Workers.Notify;

namespace Cluster.Supervisor.Workers.Events;

/// <summary>A worker process sent a datagram to its notify socket.</summary>
internal sealed record WorkerNotified(Worker Worker, long Spawn, NotifyMessage Message) : ControlEvent;
