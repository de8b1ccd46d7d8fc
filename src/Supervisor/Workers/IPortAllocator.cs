namespace Cluster.Supervisor.Workers;

internal interface IPortAllocator
{
    /// <summary>A loopback port for a new worker process.</summary>
    int Allocate();
}
