using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Workers.Events;

internal sealed record WorkerExited(Worker Worker, long Spawn, ProcessExitStatus Status) : ControlEvent;
