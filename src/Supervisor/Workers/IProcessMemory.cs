namespace Cluster.Supervisor.Workers;

internal interface IProcessMemory
{
    /// <summary>Resident memory of the process and all its descendants, in bytes; null when it is gone.</summary>
    long? ResidentBytes(int pid);
}
