using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>The real control loop over fake processes, readiness, front end and clock.</summary>
internal sealed class LoopHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    /// <param name="arrange">Runs before the loop starts, e.g. to make the first launch fail.</param>
    /// <param name="predecessor">The supervisor this loop takes over from (an upgrade); null for a plain start.</param>
    /// <param name="arrangeFrontEnds">Gives apps front ends of their own, before the loop is made.</param>
    public LoopHarness(SupervisorConfig config, Action<LoopHarness>? arrange = null, FakePredecessor? predecessor = null, Action<FakeFrontEnds>? arrangeFrontEnds = null)
    {
        Config = config;
        // Random() = 0.5 puts jitter in the middle of its range: delays are exact; maxRequests jitter adds half.
        ConfigSource = new FakeConfigSource(config);
        FrontEnds = new FakeFrontEnds(FrontEnd);
        arrangeFrontEnds?.Invoke(FrontEnds);
        Loop = new ControlLoop(config, new LoopServices(Launcher, new SequentialPorts(), Readiness, Health, Memory, FrontEnds, PidFile, ConfigSource, LogLevels, Time, () => 0.5, Log) { Notifier = Notifier, NotifySockets = NotifySockets, Upgrader = Upgrader, Serving = Serving, Predecessor = predecessor });
        arrange?.Invoke(this);
        Completion = Task.Run(() => Loop.RunAsync(_cancel.Token));
    }

    public SupervisorConfig Config { get; }

    public ControlLoop Loop { get; }

    public Task<LoopEnd> Completion { get; }

    /// <summary>Starts the new supervisors of upgrades.</summary>
    public FakeUpgrader Upgrader { get; } = new();

    /// <summary>Told once the workers can first take traffic.</summary>
    public FakeServingStart Serving { get; } = new();

    public FakeLauncher Launcher { get; } = new();

    public FakeReadinessProbe Readiness { get; } = new();

    public FakeFrontEnd FrontEnd { get; } = new();

    public FakeFrontEnds FrontEnds { get; }

    public FakeHealthProbe Health { get; } = new();

    public FakeProcessMemory Memory { get; } = new();

    public FakePidFile PidFile { get; } = new();

    /// <summary>What a reload or SIGHUP reads; tests replace its result.</summary>
    public FakeConfigSource ConfigSource { get; }

    public FakeLogLevels LogLevels { get; } = new();

    public CountingFakeTimeProvider Time { get; } = new();

    /// <summary>The workers' notify sockets: tests send their messages through it.</summary>
    public FakeNotifySockets NotifySockets { get; } = new();

    /// <summary>What the loop tells systemd.</summary>
    public FakeServiceNotifier Notifier { get; } = new();

    public ListLogger Log { get; } = new();

    /// <summary>The worker table once every event posted so far has been handled (empty once the loop has ended).</summary>
    public async Task<IReadOnlyList<WorkerSnapshot>> SnapshotAsync() => (await StatusAsync())?.Workers ?? [];

    /// <summary>The loop's status once every event posted so far has been handled (null once the loop has ended).</summary>
    public async Task<LoopStatus?> StatusAsync()
    {
        var reply = new TaskCompletionSource<LoopStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        Loop.Post(new StatusRequested(reply));
        await Task.WhenAny(reply.Task, Completion).WaitAsync(Waits.Patience);
        return reply.Task.IsCompletedSuccessfully ? reply.Task.Result : null;
    }

    /// <summary>Posts a control request and waits (bounded) until the loop has handled it; its answer may come later.</summary>
    public async Task<Task<Cluster.Supervisor.Workers.Operations.OperationResult>> RequestAsync(Func<TaskCompletionSource<Cluster.Supervisor.Workers.Operations.OperationResult>, ControlEvent> request)
    {
        var reply = new TaskCompletionSource<Cluster.Supervisor.Workers.Operations.OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Loop.Post(request(reply));
        await SnapshotAsync();
        return reply.Task;
    }

    public async Task<WorkerSnapshot> WorkerAsync(int id) => (await SnapshotAsync()).Single(w => w.Id == id);

    /// <summary>Starts every launched worker's readiness and waits until all are Ready.</summary>
    public async Task AllReadyAsync()
    {
        await SnapshotAsync();
        foreach (var process in Launcher.Launched)
        {
            Readiness.MarkReady(process.Port);
        }

        await SnapshotAsync();
    }

    /// <summary>Posts a stop signal and lets the front end finish draining, in that order, then waits for the loop.</summary>
    public async Task StopAndDrainAsync(int signal = Cluster.Supervisor.Processes.PosixSignals.SIGTERM)
    {
        Loop.Post(new SignalReceived(signal));
        // The loop must have asked the front end to stop before the drain completes, or the order of events is left to chance.
        await SnapshotAsync();
        FrontEnd.FinishDraining();
        await SnapshotAsync();
    }

    public async Task AdvanceAsync(TimeSpan by)
    {
        await SnapshotAsync();
        Time.Advance(by);
        await SnapshotAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        try
        {
            await Completion.WaitAsync(Waits.Patience);
        }
        catch (OperationCanceledException)
        {
            // Expected when a test leaves the loop running.
        }

        _cancel.Dispose();
    }
}
