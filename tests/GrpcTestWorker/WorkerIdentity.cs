namespace Cluster.GrpcTestWorker;

/// <summary>The worker's slot (WORKER_ID) and process.</summary>
internal sealed record WorkerIdentity(int Id, int Pid);
