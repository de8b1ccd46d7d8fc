using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Routing;

namespace Cluster.Supervisor.Tests.Fakes;

internal sealed class FakeFrontEnd : IFrontEnd
{
    private readonly TaskCompletionSource _stopped = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<WorkerEndpoint, long> _served = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<WorkerEndpoint, TaskCompletionSource> _idle = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<WorkerEndpoint, long> _busy = new();
    private volatile IReadOnlyList<WorkerEndpoint> _current = [];

    public IReadOnlyList<WorkerEndpoint> Current => _current;

    /// <summary>False for the proxy; true to behave as the shared-socket front end (workers out of rotation still get clients).</summary>
    public bool ReachableOutOfRotation { get; set; }

    public Cluster.Supervisor.SharedSocket.SharedListener? WorkerSocket => null;

    /// <summary>The last routing snapshot the loop published.</summary>
    public RoutingSnapshot Routing { get; private set; } = RoutingSnapshot.Empty;

    public int PublishCount { get; private set; }

    public TimeSpan? StopRequestedWith { get; private set; }

    public void Publish(RoutingSnapshot routing)
    {
        Routing = routing;
        IReadOnlyList<WorkerEndpoint> readyWorkers = [.. routing.Ready];
        _current = readyWorkers;
        History.Add(readyWorkers);
        PublishCount++;
    }

    /// <summary>Every list the loop published, in order (to prove capacity never dropped).</summary>
    public List<IReadOnlyList<WorkerEndpoint>> History { get; } = [];

    public List<WorkerEndpoint> Forgotten { get; } = [];

    public List<Cluster.Shared.Configuration.SupervisorConfig> Configured { get; } = [];

    public void Configure(Cluster.Shared.Configuration.SupervisorConfig config) => Configured.Add(config);

    public void SetServed(WorkerEndpoint worker, long served) => _served[worker] = served;

    public long Served(WorkerEndpoint worker) => _served.GetValueOrDefault(worker);

    public long InFlight(WorkerEndpoint worker) => _busy.GetValueOrDefault(worker);

    /// <summary>What the pool sizer sees of a worker: <paramref name="busy"/> requests in flight (connections, as a shared socket).</summary>
    public void SetBusy(WorkerEndpoint worker, long busy) => _busy[worker] = busy;

    public AppActivity Activity(string app, IReadOnlyList<WorkerEndpoint> workers) =>
        new([.. workers.Select(w => new WorkerActivity(InFlight(w), Served(w)))], RequestsWaiting(app));

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _waiting = new();

    /// <summary>What <see cref="RequestsWaiting"/> answers for an app from now on.</summary>
    public void SetWaiting(string app, int waiting) => _waiting[app] = waiting;

    public int RequestsWaiting(string app) => _waiting.GetValueOrDefault(app);

    public Task WhenIdleAsync(WorkerEndpoint worker) => _idle.GetOrAdd(worker, _ => new TaskCompletionSource()).Task;

    /// <summary>The draining worker's last request finished.</summary>
    public void MakeIdle(WorkerEndpoint worker) => _idle.GetOrAdd(worker, _ => new TaskCompletionSource()).TrySetResult();

    /// <summary>What each check of a SIGSTOPped worker finds, in order; 0 (nothing held) once they are used up.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<long?> HeldWhenStopped { get; } = new();

    /// <summary>When set, checks of a SIGSTOPped worker wait for the test to complete this.</summary>
    public TaskCompletionSource<long?>? PendingStopCheck { get; set; }

    public Task<long?> ConnectionsHeldWhenStoppedAsync(WorkerEndpoint worker) =>
        PendingStopCheck?.Task ?? Task.FromResult(HeldWhenStopped.TryDequeue(out var held) ? held : 0);

    public void Forget(WorkerEndpoint worker) => Forgotten.Add(worker);

    public Task DrainAsync(TimeSpan drainTimeout)
    {
        StopRequestedWith = drainTimeout;
        return _stopped.Task;
    }

    /// <summary>Set when the loop stopped the front end for a hand-over (no 503 announcement), rather than for a stop.</summary>
    public bool HandedOver { get; private set; }

    public Task HandOverAsync(TimeSpan drainTimeout)
    {
        HandedOver = true;
        return DrainAsync(drainTimeout);
    }

    /// <summary>Completes the drain the loop is waiting for.</summary>
    public void FinishDraining() => _stopped.TrySetResult();
}
