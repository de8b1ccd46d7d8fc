using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// Every allowed state change of a worker, and the one method that makes and logs it (supervisord's process.py is the
/// model). The control loop decides when to move; this decides whether the move is legal.
/// </summary>
internal sealed class WorkerTransitions(ILogger logger)
{
    /// <summary>The log property that names a worker's app, on every line about it.</summary>
    public const string AppProperty = "App";

    private static readonly HashSet<(WorkerState From, WorkerState To)> Allowed =
    [
        // Stopped -> Starting: a new slot is filled (supervisor start, more workers wanted, or a replacement).
        (WorkerState.Stopped, WorkerState.Starting),

        // Backoff -> Starting: the restart delay has passed.
        (WorkerState.Backoff, WorkerState.Starting),

        // CrashLoop -> Starting: the (longer) restart delay of a crash-looping slot has passed.
        (WorkerState.CrashLoop, WorkerState.Starting),

        // Failed -> Starting: a reload or scale starts a slot that had been given up on, with the current config.
        (WorkerState.Failed, WorkerState.Starting),

        // Starting -> Ready: the readiness check passed; the front end may send it traffic.
        (WorkerState.Starting, WorkerState.Ready),

        // Starting -> Exited: it died, or could not be executed, before it was ready.
        (WorkerState.Starting, WorkerState.Exited),

        // Starting -> Stopping: not ready within the readiness timeout, or the supervisor is stopping.
        (WorkerState.Starting, WorkerState.Stopping),

        // Ready -> Exited: it died while serving (crash, kill -9, the OOM killer).
        (WorkerState.Ready, WorkerState.Exited),

        // Ready -> Stopping: asked to stop (the supervisor is stopping, WATCHDOG=trigger), or, with a shared socket,
        // replaced or scaled away: it drains itself after its stop signal, as no request passes through the supervisor.
        (WorkerState.Ready, WorkerState.Stopping),

        // Ready -> Unhealthy: it failed health.unhealthyThreshold checks (or missed watchdog pings) in a row; it leaves
        // the rotation at once (with a shared socket the kernel still hands it connections until it is restarted).
        (WorkerState.Ready, WorkerState.Unhealthy),

        // Ready -> Draining: its replacement is ready (recycling); it leaves the rotation and finishes in-flight requests.
        (WorkerState.Ready, WorkerState.Draining),

        // Unhealthy -> Ready: a health check passed again (or its watchdog pings resumed); it rejoins the rotation.
        (WorkerState.Unhealthy, WorkerState.Ready),

        // Unhealthy -> Stopping: still failing at health.restartThreshold (hung), or the supervisor is stopping.
        (WorkerState.Unhealthy, WorkerState.Stopping),

        // Unhealthy -> Exited: it died while out of rotation.
        (WorkerState.Unhealthy, WorkerState.Exited),

        // Draining -> Stopping: no request left in flight, the drain timeout passed, or the supervisor is stopping.
        (WorkerState.Draining, WorkerState.Stopping),

        // Draining -> Exited: it died while draining.
        (WorkerState.Draining, WorkerState.Exited),

        // Draining -> Parked: replaced by a reload with reload.confirmAfter, drained: kept alive without traffic until
        // the new generation is confirmed (with a shared socket it is SIGSTOPped, so it accepts nothing).
        (WorkerState.Draining, WorkerState.Parked),

        // Draining -> Ready: the reload it was replaced by is rolled back before it finished draining; back in rotation.
        (WorkerState.Draining, WorkerState.Ready),

        // Parked -> Ready: the reload is rolled back: back into rotation, in the same update that takes the new
        // workers out (with a shared socket, SIGCONT: it accepts again).
        (WorkerState.Parked, WorkerState.Ready),

        // Parked -> Stopping: the reload is committed (or the supervisor is stopping): the stop signal (and SIGCONT).
        (WorkerState.Parked, WorkerState.Stopping),

        // Parked -> Exited: it died while parked (the OOM killer, a kill from outside); it is not restarted.
        (WorkerState.Parked, WorkerState.Exited),

        // Stopping -> Exited: it exited after its stop signal, or was killed after the stop timeout.
        (WorkerState.Stopping, WorkerState.Exited),

        // Exited -> Backoff: nobody asked it to exit; it is restarted after the restart delay.
        (WorkerState.Exited, WorkerState.Backoff),

        // Exited -> CrashLoop: another quick exit, restart.crashLoopAfter in a row; restarted after a growing delay.
        (WorkerState.Exited, WorkerState.CrashLoop),

        // Exited -> Failed: a "do not restart" exit code, or restart.maxRestarts reached; the slot stays down.
        (WorkerState.Exited, WorkerState.Failed),

        // Exited -> Stopped: a planned exit (the supervisor is stopping, or it was replaced); it is not restarted.
        (WorkerState.Exited, WorkerState.Stopped),

        // Backoff -> Stopped: the supervisor is stopping; the pending restart is cancelled.
        (WorkerState.Backoff, WorkerState.Stopped),

        // CrashLoop -> Stopped: the supervisor is stopping; the pending restart is cancelled.
        (WorkerState.CrashLoop, WorkerState.Stopped),

        // Failed -> Stopped: the supervisor is stopping; the failed slot is cleared.
        (WorkerState.Failed, WorkerState.Stopped),
    ];

    public static IReadOnlyCollection<(WorkerState From, WorkerState To)> All => Allowed;

    public static bool IsAllowed(WorkerState from, WorkerState to) => Allowed.Contains((from, to));

    /// <summary>
    /// Moves the worker to <paramref name="to"/> and logs it: one line for people, and, as structured properties, the
    /// restart count, quick exits in a row and any <paramref name="facts"/>. An illegal move is a bug and throws.
    /// </summary>
    public void Move(Worker worker, WorkerState to, string reason, LogLevel level = LogLevel.Information, TransitionFacts? facts = null)
    {
        var from = worker.State;
        if (!IsAllowed(from, to))
        {
            throw new InvalidOperationException($"worker {worker.Id}: {from} -> {to} is not an allowed transition ({reason})");
        }

        worker.SetState(to);
        using (logger.BeginScope(Properties(worker, facts)))
        {
            // A number in structured logs; "-" for a worker that never got a process.
            WorkerLog.Transition(logger, level, worker.Id, (object?)worker.Pid ?? "-", from, to, reason);
        }
    }

    private static Dictionary<string, object> Properties(Worker worker, TransitionFacts? facts)
    {
        var properties = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [AppProperty] = worker.Group.Name,
            ["Restarts"] = worker.Restarts,
            ["QuickExits"] = worker.History.QuickExits,
        };
        if (facts?.ExitCode is int code)
        {
            properties["ExitCode"] = code;
        }

        if (facts?.Signal is string signal)
        {
            properties["Signal"] = signal;
        }

        if (facts?.Uptime is TimeSpan uptime)
        {
            properties["UptimeSeconds"] = Math.Round(uptime.TotalSeconds, 3);
        }

        if (facts?.NextDelay is TimeSpan delay)
        {
            properties["NextDelayMs"] = (long)delay.TotalMilliseconds;
        }

        return properties;
    }
}
