using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Notify;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// What workers say on their notify socket (readiness.notify), as a systemd service tells systemd: READY=1 when it
/// can serve, STATUS= lines, and, once it has declared WATCHDOG_USEC=, a WATCHDOG=1 ping at least that often. A
/// missed ping counts as a failed health check (health.unhealthyThreshold, health.restartThreshold).
/// </summary>
internal sealed partial class ControlLoop
{
    private void OnNotified(Worker worker, NotifyMessage message)
    {
        if (message.Status is { } status)
        {
            worker.NotifiedStatus = status;
        }

        if (message.WatchdogTimeout is { } timeout && timeout != worker.WatchdogTimeout)
        {
            worker.WatchdogTimeout = timeout;
            using var scope = AppScope(worker.Group);
            WorkerLog.WatchdogDeclared(_logger, worker.Id, worker.Pid, HumanDuration.Format(timeout));
        }

        if (message.Ready && worker.State == WorkerState.Starting && Readiness(worker).Notify)
        {
            BecomeReady(worker);
        }

        if (message.WatchdogTrigger && worker.State is WorkerState.Starting or WorkerState.Ready or WorkerState.Unhealthy)
        {
            Stop(worker, "it asked to be restarted (WATCHDOG=trigger)", LogLevel.Warning);
            return;
        }

        if (message.WatchdogPing || message.WatchdogTimeout is not null)
        {
            OnWatchdogPing(worker);
        }
    }

    private void OnWatchdogPing(Worker worker)
    {
        if (worker.WatchdogTimeout is not { } timeout || worker.State is WorkerState.Stopping)
        {
            return;
        }

        worker.ReplaceWatchdogTimer(After(timeout, new WatchdogMissed(worker, worker.Spawn)));
        if (worker.HealthFailures > 0)
        {
            RecordHealthPass(worker, "WATCHDOG=1 again");
        }
    }

    private void OnWatchdogMissed(Worker worker)
    {
        var timeout = worker.WatchdogTimeout!.Value;
        // Armed again: every further interval without a ping is one more failure, up to the restart threshold.
        worker.ReplaceWatchdogTimer(After(timeout, new WatchdogMissed(worker, worker.Spawn)));
        RecordHealthFailure(worker, $"no WATCHDOG=1 within its WATCHDOG_USEC ({HumanDuration.Format(timeout)})");
    }
}
