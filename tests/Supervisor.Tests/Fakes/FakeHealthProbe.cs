using System.Collections.Concurrent;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>Each check waits until the test answers it for that port.</summary>
internal sealed class FakeHealthProbe : IHealthProbe
{
    private readonly ConcurrentDictionary<int, ConcurrentQueue<TaskCompletionSource<HealthCheckResult>>> _pending = new();

    public Task<HealthCheckResult> CheckAsync(int port, Cluster.Shared.Configuration.HealthConfig config, Cluster.Shared.Configuration.WorkerProtocol protocol, CancellationToken cancellationToken)
    {
        var check = new TaskCompletionSource<HealthCheckResult>();
        _pending.GetOrAdd(port, _ => new()).Enqueue(check);
        return check.Task;
    }

    public int Pending(int port) => _pending.TryGetValue(port, out var queue) ? queue.Count : 0;

    /// <summary>Answers the oldest pending check of the port; false when none is pending.</summary>
    public bool Answer(int port, HealthCheckResult result) =>
        _pending.TryGetValue(port, out var queue) && queue.TryDequeue(out var check) && check.TrySetResult(result);
}
