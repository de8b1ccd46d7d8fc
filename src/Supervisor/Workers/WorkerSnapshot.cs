namespace Cluster.Supervisor.Workers;

/// <summary>A copy of one worker's row, safe to read outside the control loop.</summary>
internal sealed record WorkerSnapshot(int Id, WorkerState State, int? Pid, int Port, int Restarts);
