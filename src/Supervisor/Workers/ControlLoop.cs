using System.Threading.Channels;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Queueing;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Restarts;
using Cluster.Supervisor.Workers.Routing;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// The supervisor's one control loop (gunicorn's arbiter, Node's cluster primary). It alone owns every app's worker
/// group (<see cref="WorkerGroup"/>): everything else (signal handlers, process exits, timers, readiness and health
/// checks) posts events, and the loop handles them one at a time, so no state here needs a lock. An event about a
/// worker carries the worker, which knows its group. This file has the core (spawn, stop, reap, restart); health
/// checks, recycling, operations and stopping the supervisor are in the other ControlLoop.*.cs files.
/// </summary>
internal sealed partial class ControlLoop
{
    /// <summary>How long to wait for a process to disappear after SIGKILL before giving up on it.</summary>
    internal static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    private readonly Channel<ControlEvent> _events = Channel.CreateUnbounded<ControlEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<WorkerGroup> _groups = [];
    private SupervisorConfig _config;
    private readonly LoopServices _services;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkerTransitions _transitions;
    private readonly Dictionary<IFrontEnd, RoutingSnapshot> _published = [];
    private IReadOnlyList<WorkerEndpoint> _recorded = [];
    private SupervisorPhase _phase = SupervisorPhase.Running;

    public ControlLoop(SupervisorConfig config, LoopServices services)
    {
        _config = config;
        _services = services;
        _time = services.Time;
        _logger = services.Logger;
        _transitions = new WorkerTransitions(services.Logger);
        foreach (var (app, i) in config.Apps.Select((app, i) => (app, i)))
        {
            var group = new WorkerGroup(app, _generation, services.FrontEnds.For(app), services.Random);
            group.Desired = StartingCount(app, _groups.Sum(g => g.Desired) + config.Apps.Skip(i + 1).Sum(a => a.Workers.Least));
            _groups.Add(group);
        }

        _predecessor = services.Predecessor;

        // Every app's routes (no worker ready yet) before the front ends accept: a request that comes before the
        // first worker is ready gets "no worker ready" (503) from its app, not "no app" (404).
        PublishRoutes();
    }

    /// <summary>Queues an event for the loop; safe from any thread, including signal handlers.</summary>
    public void Post(ControlEvent controlEvent) => _events.Writer.TryWrite(controlEvent);

    /// <summary>Runs until a stop has been requested and every worker has exited.</summary>
    public async Task<LoopEnd> RunAsync(CancellationToken cancellationToken = default)
    {
        foreach (var group in _groups)
        {
            using (AppScope(group))
            {
                WorkerLog.Starting(_logger, Environment.ProcessId, group.Config.Workers.ToString(), group.Config.Worker.CommandAsWritten);
            }
        }

        if (_predecessor is { } predecessor)
        {
            UpgradeLog.TakingOver(_logger, predecessor.Pid, predecessor.Version, _groups.Sum(g => g.Desired));
        }

        if (!TakingOver)
        {
            // A supervisor taking over pings once it is systemd's main process (see OnTakeOverGranted).
            StartWatchdog();
        }

        foreach (var group in _groups)
        {
            StartPeriodicChecks(group);
            ManageWorkers(group);
        }

        AfterEvent();
        try
        {
            while (!IsFinished && await _events.Reader.WaitToReadAsync(cancellationToken))
            {
                while (!IsFinished && _events.Reader.TryRead(out var controlEvent))
                {
                    Handle(controlEvent);
                    AfterEvent();
                }
            }
        }
        finally
        {
            foreach (var group in _groups)
            {
                StopPeriodicChecks(group);
            }

            StopPoolChecks();
            StopWatchdog();
        }

        return _takeOverFailed ? LoopEnd.TakeOverFailed : LoopEnd.Stopped;
    }

    private bool IsFinished => _phase == SupervisorPhase.StoppingWorkers && _groups.All(g => g.Workers.Count == 0);

    private void Handle(ControlEvent controlEvent)
    {
        switch (controlEvent)
        {
            case WorkerExited e when IsCurrent(e.Worker, e.Spawn):
                Reap(e.Worker, e.Status);
                break;
            case WorkerReadinessPassed e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Starting:
                BecomeReady(e.Worker);
                break;
            case WorkerNotified e when IsCurrent(e.Worker, e.Spawn) && e.Worker.Process is not null:
                OnNotified(e.Worker, e.Message);
                break;
            case WatchdogMissed e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State is WorkerState.Ready or WorkerState.Unhealthy:
                OnWatchdogMissed(e.Worker);
                break;
            case ReadinessTimedOut e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Starting:
                Stop(e.Worker, $"not ready within {HumanDuration.Format(Readiness(e.Worker).Timeout)} ({Readiness(e.Worker).Description}); counted as a failed start", LogLevel.Warning);
                break;
            case RestartDue e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State is WorkerState.Backoff or WorkerState.CrashLoop:
                Spawn(e.Worker);
                break;
            case StableDue e when IsCurrent(e.Worker, e.Spawn):
                OnStable(e.Worker);
                break;
            case StopTimeoutElapsed e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Stopping:
                Murder(e.Worker);
                break;
            case KillTimeoutElapsed e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Stopping:
                using (AppScope(e.Worker.Group))
                {
                    WorkerLog.Abandoned(_logger, e.Worker.Id, e.Worker.Pid, HumanDuration.Format(KillWait));
                }

                Reap(e.Worker, status: null);
                break;
            case WorkerUnreachable e:
                OnUnreachable(e.Endpoint, e.Reason);
                break;
            case ReachabilityRestored e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Unhealthy:
                e.Worker.ReplaceTimer(null);
                e.Worker.HealthFailures = 0;
                _transitions.Move(e.Worker, WorkerState.Ready, $"answers again ({Readiness(e.Worker).Description} passed); back in rotation");
                break;
            case ReachabilityTimedOut e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Unhealthy:
                Stop(e.Worker, $"still unreachable after {HumanDuration.Format(Readiness(e.Worker).Timeout)}; restarting it", LogLevel.Warning);
                break;
            case HealthCheckDue e:
                StartHealthChecks(e.Group);
                break;
            case HealthCheckCompleted e when IsCurrent(e.Worker, e.Spawn):
                OnHealthCheckCompleted(e.Worker, e.Result);
                break;
            case RecycleCheckDue e:
                CheckRecycleLimits(e.Group);
                break;
            case PoolCheckDue:
                CheckPools();
                break;
            case DrainCompleted e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Draining && e.Worker.ParkAfterDrain:
                ParkOnceStopped(e.Worker);
                break;
            case ParkCheckCompleted e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Draining && e.Worker.ParkAfterDrain:
                OnParkCheckCompleted(e.Worker, e.Held);
                break;
            case DrainTimedOut e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Draining && e.Worker.ParkAfterDrain:
                using (AppScope(e.Worker.Group))
                {
                    WorkerLog.ParkedBusy(_logger, e.Worker.Id, e.Worker.Pid, HumanDuration.Format(e.Worker.Group.Config.Worker.DrainTimeout));
                }

                Park(e.Worker);
                break;
            case DrainCompleted e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Draining:
                Stop(e.Worker, "drained: no request in flight");
                break;
            case DrainTimedOut e when IsCurrent(e.Worker, e.Spawn) && e.Worker.State == WorkerState.Draining:
                Stop(e.Worker, $"still had requests in flight after worker.drainTimeout ({HumanDuration.Format(e.Worker.Group.Config.Worker.DrainTimeout)})", LogLevel.Warning);
                break;
            case ReloadConfirmDue e when e.Reload == e.Reload.Group.Reload:
                Commit(e.Reload);
                break;
            case RollbackRequested e:
                OnRollbackRequested(e.App, e.Reply);
                break;
            case SignalReceived e:
                OnSignal(e.Signal);
                break;
            case StopRequested e:
                BeginStop(e.Source);
                break;
            case ReloadRequested e:
                OnReloadRequested(e.App, e.Reply);
                break;
            case ScaleRequested e:
                OnScaleRequested(e.App, e.Target, e.Reply);
                break;
            case RestartRequested e:
                OnRestartRequested(e.App, e.WorkerId, e.Reply);
                break;
            case FrontEndDrained:
                StopAllWorkers("the supervisor is stopping");
                break;
            case StatusRequested e:
                e.Reply.TrySetResult(Status());
                break;
            case WatchdogDue:
                Notifier.Watchdog();
                break;
            case UpgradeRequested e:
                OnUpgradeRequested(e.Origin, e.Reply);
                break;
            case SuccessorReady e:
                OnSuccessorReady(e.Successor, e.Version);
                break;
            case SuccessorTookOver e:
                OnSuccessorTookOver(e.Successor);
                break;
            case SuccessorFailed e:
                OnSuccessorFailed(e.Successor, e.Reason);
                break;
            case UpgradeTimedOut e:
                OnSuccessorFailed(e.Successor, $"it had not taken over within the upgrade's time limit (worker.readiness.timeout + worker.stopTimeout + {HumanDuration.Format(UpgradeStartAllowance)})");
                break;
            case SuccessorStopped e:
                OnSuccessorStopped(e.Successor);
                break;
            case TakeOverGranted e:
                OnTakeOverGranted(e.PredecessorGone);
                break;
            default:
                // A late event about a process that has since exited or been replaced: nothing to do.
                WorkerLog.StaleEvent(_logger, controlEvent.GetType().Name);
                break;
        }
    }

    private static bool IsCurrent(Worker worker, long spawn) => worker.Spawn == spawn;

    private static ReadinessConfig Readiness(Worker worker) => worker.Group.Config.Worker.Readiness;

    /// <summary>Log lines about one app carry its name (the property "App"), as the workers' own transitions do.</summary>
    private IDisposable? AppScope(WorkerGroup group) => _logger.BeginScope(new Dictionary<string, object>(StringComparer.Ordinal) { [WorkerTransitions.AppProperty] = group.Name });

    /// <summary>
    /// Starts workers until the app has <see cref="WorkerGroup.Desired"/> slot holders (gunicorn's manage_workers), each
    /// in the lowest id no slot holder has: a fixed count fills 0..N-1; a range reuses the ids its pool retired, so
    /// WORKER_ID stays below its max (a worker still draining out of that id shares it for a moment, as in a recycle).
    /// </summary>
    private void ManageWorkers(WorkerGroup group)
    {
        var held = group.Workers.Where(group.IsSlotHolder).Select(w => w.Id).ToHashSet();
        for (var id = 0; held.Count < group.Desired; id++)
        {
            if (held.Add(id))
            {
                var worker = new Worker(group, id);
                group.Workers.Add(worker);
                Spawn(worker);
            }
        }
    }

    private void Spawn(Worker worker)
    {
        var group = worker.Group;
        var port = _services.Ports.Allocate();
        var spawn = worker.BeginSpawn(port, _time.GetUtcNow());
        var config = group.Config.Worker;
        var readiness = config.Readiness;
        INotifyChannel? notify = null;
        IWorkerProcess process;
        try
        {
            notify = readiness.Notify ? _services.NotifySockets.Open(worker.Id, Launching.WorkerUsers.SwitchTo(config), message => Post(new WorkerNotified(worker, spawn, message))) : null;
            process = _services.Launcher.Launch(new WorkerLaunch(group.Name, config, worker.Id, port, notify?.Path, group.FrontEnd.WorkerSocket));
        }
        catch (Exception e) when (e is ChildProcessStartException or IOException)
        {
            notify?.Dispose();
            _transitions.Move(worker, WorkerState.Starting, $"launching {config.CommandAsWritten} on port {port}");
            StartFailed(worker, e.Message);
            return;
        }

        worker.Attach(process, notify);
        worker.RequestLimit = group.Config.Recycle.MaxRequests + (long)(_services.Random() * (group.Config.Recycle.MaxRequestsJitter + 1));
        _transitions.Move(worker, WorkerState.Starting, $"started on port {port}; waiting for {readiness.Description}");

        PostWhenSucceeded(process.Exited, exit => new WorkerExited(worker, spawn, exit.Result));

        // With readiness.notify, its READY=1 arrives as a WorkerNotified event instead.
        if (!readiness.Notify)
        {
            var check = new CancellationTokenSource();
            worker.StartReadinessCheck(check);
            PostWhenSucceeded(_services.Readiness.WaitUntilReadyAsync(port, process.Pid, config, group.FrontEnd.WorkerSocket, check.Token), _ => new WorkerReadinessPassed(worker, spawn));
        }

        worker.ReplaceTimer(After(readiness.Timeout, new ReadinessTimedOut(worker, spawn)));
    }

    private void BecomeReady(Worker worker)
    {
        var config = worker.Group.Config;
        var stableAt = worker.StartedAt + config.Restart.ResetAfter - _time.GetUtcNow();
        worker.ReplaceTimer(After(stableAt > TimeSpan.Zero ? stableAt : TimeSpan.Zero, new StableDue(worker, worker.Spawn)));
        _transitions.Move(worker, WorkerState.Ready, $"{config.Worker.Readiness.Description} passed {HumanDuration.Format(_time.GetUtcNow() - worker.StartedAt)} after start; now serving on port {worker.Port}");
        if (worker.Replaces is { } old)
        {
            CompleteRecycle(old, worker);
        }

        OnOperationWorkerReady(worker);
    }

    /// <summary>Up for restart.resetAfter: a crash loop, if there was one, is over.</summary>
    private void OnStable(Worker worker)
    {
        var restart = worker.Group.Config.Restart;
        if (worker.History.QuickExits >= restart.CrashLoopAfter)
        {
            using (AppScope(worker.Group))
            {
                WorkerLog.Recovered(_logger, worker.Id, worker.Pid, HumanDuration.Format(restart.ResetAfter));
            }
        }

        worker.History.QuickExits = 0;
    }

    /// <summary>Sends the worker's stop signal (worker.stopSignal, as it was started) and arms the stop timeout.</summary>
    private void Stop(Worker worker, string reason, LogLevel level = LogLevel.Information)
    {
        var stopTimeout = worker.Group.Config.Worker.StopTimeout;
        worker.StopReason = reason;
        worker.Readiness?.Cancel();
        var frozen = worker.Frozen;
        worker.Frozen = false;
        var signal = worker.Process!.StopSignal;
        _transitions.Move(worker, WorkerState.Stopping, $"{reason}; sending {PosixSignals.Name(signal)} (SIGKILL after {HumanDuration.Format(stopTimeout)})", level);
        worker.Process.TrySignal(signal);
        if (frozen)
        {
            // SIGSTOPped (parked, or being parked): it handles the stop signal once it runs again.
            worker.Process.TrySignal(PosixSignals.SIGCONT);
        }

        worker.ReplaceTimer(After(stopTimeout, new StopTimeoutElapsed(worker, worker.Spawn)));
    }

    /// <summary>SIGKILL for a worker that outlived its stop timeout (gunicorn's murder_workers).</summary>
    private void Murder(Worker worker)
    {
        using (AppScope(worker.Group))
        {
            WorkerLog.Murdering(_logger, worker.Id, worker.Pid, HumanDuration.Format(worker.Group.Config.Worker.StopTimeout), PosixSignals.Name(worker.Process!.StopSignal));
        }

        worker.KillSent = true;
        worker.Process!.TrySignal(PosixSignals.SIGKILL);
        worker.ReplaceTimer(After(KillWait, new KillTimeoutElapsed(worker, worker.Spawn)));
    }

    /// <summary>Records an exit (gunicorn's reap_workers) and decides what follows it.</summary>
    private void Reap(Worker worker, ProcessExitStatus? status)
    {
        if (status?.StartFailure is { } failure)
        {
            // The exec shim could not run the program (a user, folder or program it may not use): not a crash of it.
            worker.Group.FrontEnd.Forget(worker.Endpoint);
            StartFailed(worker, failure);
            return;
        }

        var uptime = _time.GetUtcNow() - worker.StartedAt;
        var how = status is null ? "abandoned after SIGKILL"
            : worker.KillSent ? "killed with SIGKILL after the stop timeout"
            : status.Value.Describe();
        var planned = worker.StopReason is null ? string.Empty : $" (asked to stop: {worker.StopReason})";
        var level = worker.StopReason is null || worker.KillSent ? LogLevel.Warning : LogLevel.Information;
        var facts = new TransitionFacts(
            ExitCode: status is { Signal: null } exited ? exited.ExitCode : null,
            Signal: status?.Signal is int signal ? PosixSignals.Name(signal) : null,
            Uptime: uptime);
        var description = $"{how} after {HumanDuration.Format(uptime)} uptime{planned}";
        _transitions.Move(worker, WorkerState.Exited, description, level, facts);
        worker.RecordExit(new ExitRecord(description, facts.ExitCode, facts.Signal, _time.GetUtcNow())
        {
            Pid = worker.Pid,
            Uptime = uptime,
            LastOutput = worker.Process?.RecentOutput ?? [],
        });

        if (worker.Process?.KillLeftoverGroup() == true)
        {
            using (AppScope(worker.Group))
            {
                WorkerLog.LeftoversKilled(_logger, worker.Id, worker.Pid);
            }
        }

        worker.Group.FrontEnd.Forget(worker.Endpoint);
        worker.Detach();
        // Only an exit nobody asked for is matched against restart.noRestartExitCodes.
        AfterExit(worker, worker.StopReason is null ? facts.ExitCode : null, uptime);
    }

    /// <summary>
    /// The program never ran: the launch failed, or the exec shim said why it could not run it. An error with the
    /// reason each time; the restart policy then retries it as any quick exit (a permission fixed meanwhile is picked up).
    /// </summary>
    private void StartFailed(Worker worker, string reason)
    {
        var description = $"could not be started: {reason}";
        _transitions.Move(worker, WorkerState.Exited, description, LogLevel.Error);
        worker.RecordExit(new ExitRecord(description, null, null, _time.GetUtcNow()) { Pid = worker.Process?.Pid });
        worker.Detach();
        AfterExit(worker, exitCode: null, TimeSpan.Zero);
    }

    private void AfterExit(Worker worker, int? exitCode, TimeSpan uptime)
    {
        var group = worker.Group;
        if (TakingOver && _phase == SupervisorPhase.Running)
        {
            FailTakeOver(worker);
        }

        OnOperationWorkerExited(worker);
        if (_phase != SupervisorPhase.Running)
        {
            Retire(worker, "not restarted: the supervisor is stopping");
        }
        else if (group.Phase == GroupPhase.Leaving)
        {
            Retire(worker, $"not restarted: app {group.Name} was removed from the config");
        }
        else if (worker.Retiring)
        {
            // Replaced: another worker holds its id now; else its slot was scaled away or retired by the pool.
            var replaced = group.Workers.Any(w => w != worker && w.Id == worker.Id && group.IsSlotHolder(w));
            Retire(worker, replaced ? "not restarted: it has been replaced" : "not restarted: its slot was scaled away", replaced ? ExitAction.Replaced : null);
        }
        else if (worker.Replaces is { } old)
        {
            AbandonRecycle(old, worker);
        }
        else if (worker.ReplacedBy is { } replacement)
        {
            replacement.Replaces = null;
            Retire(worker, $"not restarted: its replacement (pid {replacement.Pid}) is starting", ExitAction.Replaced);
        }
        else
        {
            Restart(worker, exitCode, uptime);
        }
    }

    /// <summary>An exit nobody planned for (or a restart we asked for): the app's restart policy decides.</summary>
    private void Restart(Worker worker, int? exitCode, TimeSpan uptime)
    {
        switch (worker.Group.RestartPolicy.Decide(worker.History, uptime, exitCode, _time.GetUtcNow()))
        {
            case GiveUp giveUp:
                worker.Decided(ExitAction.GaveUp, giveUp.Reason);
                _transitions.Move(worker, WorkerState.Failed, giveUp.Reason, LogLevel.Error);
                break;
            case RestartAfter restart:
                worker.Restarts++;
                worker.Exits.Restarts.Record(_time.GetUtcNow());
                var delay = HumanDuration.Format(restart.Delay);
                var facts = new TransitionFacts(NextDelay: restart.Delay);
                var restarting = $"restarting in {delay} (restart #{worker.Restarts})";
                if (restart.CrashLooping)
                {
                    var crashLoop = $"crash loop: {restart.QuickExits} exits in a row within {HumanDuration.Format(worker.Group.Config.Restart.ResetAfter)} of starting; {restarting}";
                    worker.Decided(ExitAction.CrashLoop, crashLoop, restart.Delay);
                    _transitions.Move(worker, WorkerState.CrashLoop, crashLoop, LogLevel.Warning, facts);
                }
                else
                {
                    worker.Decided(ExitAction.Restarted, restarting, restart.Delay);
                    _transitions.Move(worker, WorkerState.Backoff, restarting, LogLevel.Information, facts);
                }

                worker.ReplaceTimer(After(restart.Delay, new RestartDue(worker, worker.Spawn)));
                break;
        }
    }

    /// <summary>Exited -> Stopped, and out of its app's table; <paramref name="after"/> says why, when it follows an exit.</summary>
    private void Retire(Worker worker, string reason, ExitAction? after = null)
    {
        if (after is { } action)
        {
            worker.Decided(action, reason);
        }

        _transitions.Move(worker, WorkerState.Stopped, reason);
        worker.Group.Workers.Remove(worker);
    }

    private void AfterEvent()
    {
        foreach (var group in _groups.ToList())
        {
            CheckScale(group);
            if (group.Phase == GroupPhase.Leaving && group.Workers.Count == 0)
            {
                // Its last worker has gone: so has the app.
                _groups.Remove(group);
                StopPeriodicChecks(group);
                using (AppScope(group))
                {
                    OperationsLog.AppRemoved(_logger, group.Name);
                }
            }
        }

        PublishRoutes();
        CheckServingStart();
        SchedulePoolChecks();

        var running = _groups.SelectMany(g => g.Workers).Where(w => w.Process is not null).OrderBy(w => w.Group.Name, StringComparer.Ordinal).ThenBy(w => w.Id).Select(w => w.Endpoint).ToList();
        if (!running.SequenceEqual(_recorded))
        {
            _recorded = running;
            _services.PidFile.Record(running);
        }

        NotifyServiceManager();
    }

    /// <summary>
    /// Each front end's apps (a leaving app is out of the routes at once), with their ready workers, when anything of
    /// it changed: one atomic swap per front end, so that a worker replacing another and the one it replaces change places
    /// in one update.
    /// </summary>
    private void PublishRoutes()
    {
        foreach (var frontEnd in _services.FrontEnds.All)
        {
            var routing = new RoutingSnapshot([.. _groups.Where(g => g.FrontEnd == frontEnd && g.Phase == GroupPhase.Serving).Select(Route)]);
            if (!_published.TryGetValue(frontEnd, out var published) || !routing.SameAs(published))
            {
                _published[frontEnd] = routing;
                frontEnd.Publish(routing);
            }
        }
    }

    private AppRoute Route(WorkerGroup group) => new(
        group.Name,
        group.Config.Hosts,
        group.Config.Paths,
        group.Config.StripPath,
        group.Config.Worker.Protocol,
        group.Config.Proxy.LoadBalancing ?? _config.Proxy.LoadBalancing,
        QueueSettings.For(group.Config),
        RateLimitBudget.Of(group.Config, _config.RateLimit),
        group.Ready);

    private WorkerGroup? Group(string name) => _groups.FirstOrDefault(g => g.Name == name);

    /// <summary>
    /// Posts the event <paramref name="toEvent"/> makes of <paramref name="task"/> once it has completed, however it
    /// did. ExecuteSynchronously: on the thread that completed it, so events are queued in the order things happened.
    /// </summary>
    private void PostWhenDone<TTask>(TTask task, Func<TTask, ControlEvent> toEvent)
        where TTask : Task =>
        ContinueWithPost(task, toEvent, TaskContinuationOptions.ExecuteSynchronously);

    /// <summary>Like <see cref="PostWhenDone"/>, only when <paramref name="task"/> ran to completion (not cancelled, not failed).</summary>
    private void PostWhenSucceeded<TTask>(TTask task, Func<TTask, ControlEvent> toEvent)
        where TTask : Task =>
        ContinueWithPost(task, toEvent, TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion);

    private void ContinueWithPost<TTask>(TTask task, Func<TTask, ControlEvent> toEvent, TaskContinuationOptions options)
        where TTask : Task =>
        task.ContinueWith(completed => Post(toEvent((TTask)completed)), CancellationToken.None, options, TaskScheduler.Default);

    private ITimer After(TimeSpan delay, ControlEvent controlEvent) =>
        _time.CreateTimer(_ => Post(controlEvent), null, delay, Timeout.InfiniteTimeSpan);

    private void Every(WorkerGroup group, TimeSpan period, ControlEvent controlEvent) =>
        group.PeriodicTimers.Add(_time.CreateTimer(_ => Post(controlEvent), null, period, period));

    private LoopStatus Status() => new(_phase, _generation, _config, [.. _groups.Select(AppStatus)]) { LastUpgrade = _lastUpgrade };

    private AppStatus AppStatus(WorkerGroup group) => new(
        group.Config,
        group.Phase,
        group.Generation,
        group.Desired,
        Busy(group),
        [.. group.Workers.OrderBy(w => w.Id).ThenBy(w => w.Spawn).Select(w => new WorkerSnapshot(w.Id, w.State, w.Process?.Pid, w.Port, w.Restarts)
        {
            App = group.Name,
            User = w.Process?.User,
            StartedAt = w.Process is null ? null : w.StartedAt,
            LastExit = w.LastExit,
            Retiring = w.Retiring,
            NotifiedStatus = w.NotifiedStatus,
            RestartsLastHour = w.Exits.Restarts.LastHour(_time.GetUtcNow()),
            Exits = w.Exits.NewestFirst(),
        })])
    {
        LastReload = group.LastReload,
        Reloads = new Dictionary<Operations.ReloadResult, long>(group.ReloadCounts),
        ScaledOverRange = group.ScaledOverRange,
        Held = group.Held,
        ScaleEvents = new Dictionary<(string Direction, string Why), long>(group.ScaleEvents),
    };
}
