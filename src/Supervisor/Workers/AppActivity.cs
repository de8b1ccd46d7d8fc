namespace Cluster.Supervisor.Workers;

/// <summary>
/// One app's activity at a pool check: each worker's (in the order asked) and what waits for a worker: requests the
/// proxy holds back in the app's queue, or connections in a shared socket's accept queue.
/// </summary>
internal sealed record AppActivity(IReadOnlyList<WorkerActivity> Workers, long Waiting);
