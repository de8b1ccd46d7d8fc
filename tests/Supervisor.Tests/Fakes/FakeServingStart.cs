using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>Counts the loop's "the workers can take traffic" calls.</summary>
internal sealed class FakeServingStart : IServingStart
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void WorkersReady() => Interlocked.Increment(ref _calls);
}
