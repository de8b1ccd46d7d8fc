namespace Cluster.Supervisor.Workers.Events;

/// <summary>
/// A drained shared-socket worker was sent SIGSTOP and its connections counted once it had stopped: <see cref="Held"/>
/// client connections, or null if its threads did not all stop in time.
/// </summary>
internal sealed record ParkCheckCompleted(Worker Worker, long Spawn, long? Held) : ControlEvent;
