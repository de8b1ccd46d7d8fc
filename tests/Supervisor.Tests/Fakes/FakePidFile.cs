using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

internal sealed class FakePidFile : IPidFile
{
    private volatile IReadOnlyList<WorkerEndpoint> _recorded = [];

    public IReadOnlyList<WorkerEndpoint> Recorded => _recorded;

    public void Record(IReadOnlyList<WorkerEndpoint> running) => _recorded = running;
}
