using System.Threading.Channels;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers.Events;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// The supervisor's one control loop (gunicorn's arbiter, Node's cluster primary). It alone owns the worker table:
/// everything else (signal handlers, process exits, timers, readiness checks) posts events, and the loop handles them
/// one at a time, so no state here needs a lock.
/// </summary>
internal sealed class ControlLoop
{
    /// <summary>How long to wait for a process to disappear after SIGKILL before giving up on it.</summary>
    internal static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    private readonly Channel<ControlEvent> _events = Channel.CreateUnbounded<ControlEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Worker> _workers = [];
    private readonly SupervisorConfig _config;
    private readonly IWorkerLauncher _launcher;
    private readonly IPortAllocator _ports;
    private readonly IReadinessProbe _readiness;
    private readonly IFrontEnd _frontEnd;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkerTransitions _transitions;
    private IReadOnlyList<WorkerEndpoint> _published = [];
    private SupervisorPhase _phase = SupervisorPhase.Running;

    public ControlLoop(
        SupervisorConfig config,
        IWorkerLauncher launcher,
        IPortAllocator ports,
        IReadinessProbe readiness,
        IFrontEnd frontEnd,
        TimeProvider time,
        ILogger logger)
    {
        _config = config;
        _launcher = launcher;
        _ports = ports;
        _readiness = readiness;
        _frontEnd = frontEnd;
        _time = time;
        _logger = logger;
        _transitions = new WorkerTransitions(logger);
    }

    /// <summary>Queues an event for the loop; safe from any thread, including signal handlers.</summary>
    public void Post(ControlEvent controlEvent) => _events.Writer.TryWrite(controlEvent);

    /// <summary>Runs until a stop has been requested and every worker has exited.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        WorkerLog.Starting(_logger, Environment.ProcessId, _config.Workers.ToString(), _config.Worker.CommandAsWritten);
        ManageWorkers();
        while (!IsFinished && await _events.Reader.WaitToReadAsync(cancellationToken))
        {
            while (!IsFinished && _events.Reader.TryRead(out var controlEvent))
            {
                Handle(controlEvent);
                PublishReadyWorkers();
            }
        }
    }

    private bool IsFinished => _phase == SupervisorPhase.StoppingWorkers && _workers.Count == 0;

    private void Handle(ControlEvent controlEvent)
    {
        switch (controlEvent)
        {
            case WorkerExited e when IsCurrent(e.Worker, e.Spawn):
                Reap(e.Worker, e.Status);
                break;
            case WorkerReadinessPassed e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Starting:
                e.Worker.ReplaceTimer(null);
                _transitions.Move(e.Worker, WorkerState.Ready, $"{_readiness.Description} passed {HumanDuration.Format(_time.GetUtcNow() - e.Worker.StartedAt)} after start; now serving on port {e.Worker.Port}");
                break;
            case ReadinessTimedOut e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Starting:
                Stop(e.Worker, $"not ready within {HumanDuration.Format(_config.Worker.Readiness.Timeout)} ({_readiness.Description}); counted as a failed start", LogLevel.Warning);
                break;
            case RestartDue e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Backoff:
                Spawn(e.Worker);
                break;
            case StopTimeoutElapsed e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Stopping:
                Murder(e.Worker);
                break;
            case KillTimeoutElapsed e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Stopping:
                WorkerLog.Abandoned(_logger, e.Worker.Id, e.Worker.Pid, HumanDuration.Format(KillWait));
                Reap(e.Worker, status: null);
                break;
            case SignalReceived e:
                OnSignal(e.Signal);
                break;
            case FrontEndStopped:
                StopAllWorkers("the supervisor is stopping");
                break;
            case SnapshotRequested e:
                e.Reply.TrySetResult(_workers.Select(w => new WorkerSnapshot(w.Id, w.State, w.Process?.Pid, w.Port, w.Restarts)).ToList());
                break;
            default:
                // A late event about a process that has since exited or been replaced: nothing to do.
                WorkerLog.StaleEvent(_logger, controlEvent.GetType().Name);
                break;
        }
    }

    private static bool IsCurrent(Worker worker, long spawn) => worker.Spawn == spawn;

    /// <summary>Fills every slot 0..N-1 that has no worker (gunicorn's manage_workers).</summary>
    private void ManageWorkers()
    {
        for (var id = 0; id < _config.Workers.Count; id++)
        {
            if (_workers.All(w => w.Id != id))
            {
                var worker = new Worker(id);
                _workers.Add(worker);
                Spawn(worker);
            }
        }
    }

    private void Spawn(Worker worker)
    {
        var port = _ports.Allocate();
        var spawn = worker.BeginSpawn(port, _time.GetUtcNow());
        IWorkerProcess process;
        try
        {
            process = _launcher.Launch(worker.Id, port);
        }
        catch (ChildProcessStartException e)
        {
            _transitions.Move(worker, WorkerState.Starting, $"launching {_config.Worker.CommandAsWritten} on port {port}");
            _transitions.Move(worker, WorkerState.Exited, $"could not be started: {e.Message}", LogLevel.Error);
            ScheduleRestartOrStop(worker);
            return;
        }

        worker.Attach(process);
        _transitions.Move(worker, WorkerState.Starting, $"started on port {port}; waiting for {_readiness.Description}");

        // ExecuteSynchronously: the exit is posted on the thread that observed it, so it is queued in the order it happened.
        process.Exited.ContinueWith(
            exit => Post(new WorkerExited(worker, spawn, exit.Result)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);

        var readiness = new CancellationTokenSource();
        worker.StartReadinessCheck(readiness);
        _readiness.WaitUntilReadyAsync(port, readiness.Token).ContinueWith(
            _ => Post(new WorkerReadinessPassed(worker, spawn)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
        worker.ReplaceTimer(After(_config.Worker.Readiness.Timeout, new ReadinessTimedOut(worker, spawn)));
    }

    /// <summary>Sends SIGTERM and arms the stop timeout.</summary>
    private void Stop(Worker worker, string reason, LogLevel level = LogLevel.Information)
    {
        worker.StopReason = reason;
        worker.Readiness?.Cancel();
        _transitions.Move(worker, WorkerState.Stopping, $"{reason}; sending SIGTERM (SIGKILL after {HumanDuration.Format(_config.Worker.StopTimeout)})", level);
        worker.Process!.TrySignal(PosixSignals.SIGTERM);
        worker.ReplaceTimer(After(_config.Worker.StopTimeout, new StopTimeoutElapsed(worker, worker.Spawn)));
    }

    /// <summary>SIGKILL for a worker that outlived its stop timeout (gunicorn's murder_workers).</summary>
    private void Murder(Worker worker)
    {
        WorkerLog.Murdering(_logger, worker.Id, worker.Pid, HumanDuration.Format(_config.Worker.StopTimeout));
        worker.KillSent = true;
        worker.Process!.TrySignal(PosixSignals.SIGKILL);
        worker.ReplaceTimer(After(KillWait, new KillTimeoutElapsed(worker, worker.Spawn)));
    }

    /// <summary>Records an exit (gunicorn's reap_workers) and decides what follows it.</summary>
    private void Reap(Worker worker, ProcessExitStatus? status)
    {
        var uptime = HumanDuration.Format(_time.GetUtcNow() - worker.StartedAt);
        var how = status is null ? "abandoned after SIGKILL"
            : worker.KillSent ? "killed with SIGKILL after the stop timeout"
            : status.Value.Describe();
        var planned = worker.StopReason is null ? string.Empty : $" (asked to stop: {worker.StopReason})";
        var level = worker.StopReason is null || worker.KillSent ? LogLevel.Warning : LogLevel.Information;
        _transitions.Move(worker, WorkerState.Exited, $"{how} after {uptime} uptime{planned}", level);
        worker.Detach();
        ScheduleRestartOrStop(worker);
    }

    private void ScheduleRestartOrStop(Worker worker)
    {
        if (_phase != SupervisorPhase.Running)
        {
            _transitions.Move(worker, WorkerState.Stopped, "not restarted: the supervisor is stopping");
            _workers.Remove(worker);
            return;
        }

        worker.Restarts++;
        var delay = _config.Restart.Delay;
        _transitions.Move(worker, WorkerState.Backoff, $"restarting in {HumanDuration.Format(delay)} (restart #{worker.Restarts})");
        worker.ReplaceTimer(After(delay, new RestartDue(worker, worker.Spawn)));
    }

    private void OnSignal(int signal)
    {
        var name = PosixSignals.Name(signal);
        if (_phase == SupervisorPhase.Running)
        {
            WorkerLog.StopRequested(_logger, name, HumanDuration.Format(_config.ShutdownTimeout));
            _phase = SupervisorPhase.Draining;
            foreach (var worker in _workers.ToList())
            {
                if (worker.State == WorkerState.Backoff)
                {
                    worker.ReplaceTimer(null);
                    _transitions.Move(worker, WorkerState.Stopped, "restart cancelled: the supervisor is stopping");
                    _workers.Remove(worker);
                }
                else if (worker.State == WorkerState.Starting)
                {
                    Stop(worker, "the supervisor is stopping");
                }
            }

            _frontEnd.StopAsync(_config.ShutdownTimeout).ContinueWith(
                _ => Post(new FrontEndStopped()),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return;
        }

        if (signal is PosixSignals.SIGINT or PosixSignals.SIGQUIT)
        {
            // A second Ctrl+C means "now": no more waiting for requests or graceful exits.
            WorkerLog.StopNow(_logger, name);
            _phase = SupervisorPhase.StoppingWorkers;
            foreach (var worker in _workers.ToList())
            {
                if (worker.State is WorkerState.Starting or WorkerState.Ready)
                {
                    worker.StopReason = $"{name} while stopping";
                    worker.Readiness?.Cancel();
                    _transitions.Move(worker, WorkerState.Stopping, $"{name} while stopping: sending SIGKILL");
                }

                if (worker.State == WorkerState.Stopping && !worker.KillSent)
                {
                    worker.KillSent = true;
                    worker.Process!.TrySignal(PosixSignals.SIGKILL);
                    worker.ReplaceTimer(After(KillWait, new KillTimeoutElapsed(worker, worker.Spawn)));
                }
            }

            return;
        }

        WorkerLog.AlreadyStopping(_logger, name);
    }

    private void StopAllWorkers(string reason)
    {
        if (_phase == SupervisorPhase.Draining)
        {
            _phase = SupervisorPhase.StoppingWorkers;
        }

        WorkerLog.StoppingWorkers(_logger, _workers.Count);
        foreach (var worker in _workers.Where(w => w.State is WorkerState.Ready or WorkerState.Starting).ToList())
        {
            Stop(worker, reason);
        }
    }

    private void PublishReadyWorkers()
    {
        var ready = _workers.Where(w => w.State == WorkerState.Ready).OrderBy(w => w.Id).Select(w => w.Endpoint).ToList();
        if (!ready.SequenceEqual(_published))
        {
            _published = ready;
            _frontEnd.Publish(ready);
        }
    }

    private ITimer After(TimeSpan delay, ControlEvent controlEvent) =>
        _time.CreateTimer(_ => Post(controlEvent), null, delay, Timeout.InfiniteTimeSpan);
}
