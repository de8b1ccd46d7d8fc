using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

internal sealed class FakePidFile : IPidFile
{
    private volatile IReadOnlyList<WorkerEndpoint> _recorded = [];

    public IReadOnlyList<WorkerEndpoint> Recorded => _recorded;

    /// <summary>Whether this supervisor owns the file (written) or has released it to a successor.</summary>
    public bool Owned { get; private set; } = true;

    public void Record(IReadOnlyList<WorkerEndpoint> running) => _recorded = running;

    public void Release() => Owned = false;

    public void Claim() => Owned = true;
}
