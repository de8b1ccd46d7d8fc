using Cluster.Supervisor.Workers.Restarts;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// One worker slot in its app's table (<see cref="WorkerGroup"/>): its id (WORKER_ID), state and current process. Restarts reuse the
/// entry, so the id, restart count and restart history carry over. While a worker is recycled, a second entry with the
/// same id (its replacement) exists until the old one has drained and exited. Only the control loop touches it; there
/// are no locks on purpose.
/// </summary>
internal sealed class Worker(WorkerGroup group, int id)
{
    /// <summary>The app's group it belongs to (ids are per app).</summary>
    public WorkerGroup Group { get; } = group;

    public int Id { get; } = id;

    public WorkerState State { get; private set; } = WorkerState.Stopped;

    /// <summary>Counts process starts; events carry it so that late events about an earlier process are ignored.</summary>
    public long Spawn { get; private set; }

    public IWorkerProcess? Process { get; private set; }

    /// <summary>The PID of the current process, or of the last one while the slot waits to restart.</summary>
    public int? Pid { get; private set; }

    public int Port { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public int Restarts { get; set; }

    public RestartHistory History { get; private set; } = new();

    /// <summary>How this worker's last process ended; a replacement starts with the one it replaces.</summary>
    public ExitRecord? LastExit { get; private set; }

    /// <summary>The slot's last exits, shared with its replacements.</summary>
    public ExitHistory Exits { get; private init; } = new();

    /// <summary>SIGKILL was sent to the current process after its stop timeout.</summary>
    public bool KillSent { get; set; }

    /// <summary>Why the supervisor asked the current process to stop; null when nobody did.</summary>
    public string? StopReason { get; set; }

    /// <summary>Health checks failed in a row by the current process.</summary>
    public int HealthFailures { get; set; }

    public bool HealthCheckInFlight { get; set; }

    /// <summary>This process's recycle.maxRequests limit, jitter included; null when there is none.</summary>
    public long? RequestLimit { get; set; }

    /// <summary>Set on a worker that is being replaced: when it exits, it is not restarted.</summary>
    public bool Retiring { get; set; }

    /// <summary>Replaced by a reload that confirms: parked, not stopped, once it has drained.</summary>
    public bool ParkAfterDrain { get; set; }

    /// <summary>
    /// Sent SIGSTOP by the supervisor (a shared-socket worker being parked) and not SIGCONT yet: anything that wants it
    /// to run again (a rollback, a SIGTERM) must wake it.
    /// </summary>
    public bool Frozen { get; set; }

    /// <summary>On a replacement still starting: the worker it will replace.</summary>
    public Worker? Replaces { get; set; }

    /// <summary>On a worker being recycled: its replacement, while that is starting.</summary>
    public Worker? ReplacedBy { get; set; }

    /// <summary>Replacements that failed to become ready, in a row; spaces out the next attempt.</summary>
    public int RecycleFailures { get; set; }

    public DateTimeOffset NextRecycleAttempt { get; set; }

    /// <summary>The one pending timer of the current state (restart, readiness, stop, drain or stable timeout).</summary>
    public ITimer? Timer { get; private set; }

    /// <summary>Cancels the readiness check of the current process.</summary>
    public CancellationTokenSource? Readiness { get; private set; }

    /// <summary>The current process's notify socket (readiness.notify); null without one.</summary>
    public INotifyChannel? Notify { get; private set; }

    /// <summary>How often the current process promised WATCHDOG=1 (it sent WATCHDOG_USEC=); null when it did not.</summary>
    public TimeSpan? WatchdogTimeout { get; set; }

    /// <summary>Fires when the current process's watchdog ping is overdue; apart from <see cref="Timer"/>, as it runs in every state.</summary>
    public ITimer? WatchdogTimer { get; private set; }

    /// <summary>The current process's last STATUS= line.</summary>
    public string? NotifiedStatus { get; set; }

    public WorkerEndpoint Endpoint => new(Group.Name, Id, Pid ?? 0, Port);

    /// <summary>A replacement carries on the slot's restart count and history.</summary>
    public static Worker ReplacementFor(Worker old) => new(old.Group, old.Id) { Restarts = old.Restarts, History = old.History, LastExit = old.LastExit, Exits = old.Exits, Replaces = old };

    public void RecordExit(ExitRecord exit)
    {
        LastExit = exit;
        Exits.Add(exit);
    }

    /// <summary>Notes what followed the exit just recorded; an exit already decided on keeps its outcome.</summary>
    public void Decided(ExitAction action, string description, TimeSpan? restartDelay = null)
    {
        if (LastExit is { Then: null } exit)
        {
            LastExit = exit with { Then = new ExitOutcome(action, description, restartDelay) };
            Exits.Replace(exit, LastExit);
        }
    }

    /// <summary>A fresh start (a reload): earlier quick exits no longer count.</summary>
    public void ResetHistory() => History = new RestartHistory();

    /// <summary>Only <see cref="WorkerTransitions.Move"/> calls this.</summary>
    internal void SetState(WorkerState state) => State = state;

    public long BeginSpawn(int port, DateTimeOffset now)
    {
        Spawn++;
        Port = port;
        StartedAt = now;
        KillSent = false;
        Frozen = false;
        StopReason = null;
        HealthFailures = 0;
        HealthCheckInFlight = false;
        WatchdogTimeout = null;
        NotifiedStatus = null;
        return Spawn;
    }

    public void Attach(IWorkerProcess process, INotifyChannel? notify)
    {
        Process = process;
        Pid = process.Pid;
        Notify = notify;
    }

    public void StartReadinessCheck(CancellationTokenSource readiness)
    {
        Readiness?.Cancel();
        Readiness = readiness;
    }

    public void ReplaceTimer(ITimer? timer)
    {
        Timer?.Dispose();
        Timer = timer;
    }

    public void ReplaceWatchdogTimer(ITimer? timer)
    {
        WatchdogTimer?.Dispose();
        WatchdogTimer = timer;
    }

    /// <summary>Forgets the exited process and cancels whatever was pending for it.</summary>
    public void Detach()
    {
        ReplaceTimer(null);
        ReplaceWatchdogTimer(null);
        Readiness?.Cancel();
        Readiness?.Dispose();
        Readiness = null;
        Notify?.Dispose();
        Notify = null;
        Process = null;
    }
}
