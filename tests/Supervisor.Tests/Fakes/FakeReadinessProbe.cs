using System.Collections.Concurrent;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>Readiness that passes only when the test calls <see cref="MarkReady"/> for the port.</summary>
internal sealed class FakeReadinessProbe : IReadinessProbe
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _checks = new();

    /// <summary>Lets a check succeed after the loop cancelled it, as a real one can when the result races the exit.</summary>
    public bool IgnoreCancellation { get; set; }

    public Task WaitUntilReadyAsync(int port, int pid, Cluster.Shared.Configuration.WorkerConfig worker, Cluster.Supervisor.SharedSocket.SharedListener? socket, CancellationToken cancellationToken)
    {
        var check = _checks.GetOrAdd(port, _ => new TaskCompletionSource());
        if (!IgnoreCancellation)
        {
            cancellationToken.Register(() => check.TrySetCanceled());
        }

        return check.Task;
    }

    /// <summary>Makes the next check of this port wait again (a worker that passed once and then stopped answering).</summary>
    public void Forget(int port) => _checks.TryRemove(port, out _);

    public void MarkReady(int port) => _checks.GetOrAdd(port, _ => new TaskCompletionSource()).TrySetResult();

    public bool WasCancelled(int port) => _checks.TryGetValue(port, out var check) && check.Task.IsCanceled;
}
