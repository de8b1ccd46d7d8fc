namespace Cluster.Supervisor.Workers.Events;

/// <summary>Asks the loop for a copy of the worker table.</summary>
internal sealed record SnapshotRequested(TaskCompletionSource<IReadOnlyList<WorkerSnapshot>> Reply) : ControlEvent;
