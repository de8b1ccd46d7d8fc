namespace Cluster.Supervisor.Workers.Events;

/// <summary>The front end could not connect to this worker process.</summary>
internal sealed record WorkerUnreachable(WorkerEndpoint Endpoint, string Reason) : ControlEvent;
