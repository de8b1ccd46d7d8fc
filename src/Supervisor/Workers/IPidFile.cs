namespace Cluster.Supervisor.Workers;

internal interface IPidFile
{
    /// <summary>Records the PIDs of the running workers (called whenever they change).</summary>
    void Record(IReadOnlyList<WorkerEndpoint> running);
}
