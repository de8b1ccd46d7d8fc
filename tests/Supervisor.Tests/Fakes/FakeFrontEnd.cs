using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

internal sealed class FakeFrontEnd : IFrontEnd
{
    private readonly TaskCompletionSource _stopped = new();
    private volatile IReadOnlyList<WorkerEndpoint> _current = [];

    public IReadOnlyList<WorkerEndpoint> Current => _current;

    public int PublishCount { get; private set; }

    public TimeSpan? StopRequestedWith { get; private set; }

    public void Publish(IReadOnlyList<WorkerEndpoint> readyWorkers)
    {
        _current = readyWorkers;
        PublishCount++;
    }

    public Task StopAsync(TimeSpan drainTimeout)
    {
        StopRequestedWith = drainTimeout;
        return _stopped.Task;
    }

    /// <summary>Completes the drain the loop is waiting for.</summary>
    public void FinishDraining() => _stopped.TrySetResult();
}
