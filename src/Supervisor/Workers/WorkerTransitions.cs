using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// Every allowed state change of a worker, and the one method that makes and logs it (supervisord's process.py is the
/// model). The control loop decides when to move; this decides whether the move is legal.
/// </summary>
internal sealed class WorkerTransitions(ILogger logger)
{
    private static readonly HashSet<(WorkerState From, WorkerState To)> Allowed =
    [
        // Stopped -> Starting: a new slot is filled (supervisor start, or more workers wanted).
        (WorkerState.Stopped, WorkerState.Starting),

        // Backoff -> Starting: the restart delay has passed.
        (WorkerState.Backoff, WorkerState.Starting),

        // Starting -> Ready: the readiness check passed; the front end may send it traffic.
        (WorkerState.Starting, WorkerState.Ready),

        // Starting -> Exited: it died, or could not be executed, before it was ready.
        (WorkerState.Starting, WorkerState.Exited),

        // Starting -> Stopping: not ready within the readiness timeout, or the supervisor is stopping.
        (WorkerState.Starting, WorkerState.Stopping),

        // Ready -> Exited: it died while serving (crash, kill -9, the OOM killer).
        (WorkerState.Ready, WorkerState.Exited),

        // Ready -> Stopping: asked to stop (the supervisor is stopping).
        (WorkerState.Ready, WorkerState.Stopping),

        // Stopping -> Exited: it exited after SIGTERM, or was killed after the stop timeout.
        (WorkerState.Stopping, WorkerState.Exited),

        // Exited -> Backoff: nobody asked it to exit; it is restarted after the restart delay.
        (WorkerState.Exited, WorkerState.Backoff),

        // Exited -> Stopped: a planned exit (the supervisor is stopping); it is not restarted.
        (WorkerState.Exited, WorkerState.Stopped),

        // Backoff -> Stopped: the supervisor is stopping; the pending restart is cancelled.
        (WorkerState.Backoff, WorkerState.Stopped),
    ];

    public static IReadOnlyCollection<(WorkerState From, WorkerState To)> All => Allowed;

    public static bool IsAllowed(WorkerState from, WorkerState to) => Allowed.Contains((from, to));

    /// <summary>Moves the worker to <paramref name="to"/> and logs it; an illegal move is a bug and throws.</summary>
    public void Move(Worker worker, WorkerState to, string reason, LogLevel level = LogLevel.Information)
    {
        var from = worker.State;
        if (!IsAllowed(from, to))
        {
            throw new InvalidOperationException($"worker {worker.Id}: {from} -> {to} is not an allowed transition ({reason})");
        }

        worker.SetState(to);
        WorkerLog.Transition(logger, level, worker.Id, worker.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", from, to, reason);
    }
}
