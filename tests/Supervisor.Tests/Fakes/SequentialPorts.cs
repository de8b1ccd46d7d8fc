using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

internal sealed class SequentialPorts : IPortAllocator
{
    private int _next = 20000;

    public int Allocate() => Interlocked.Increment(ref _next);
}
