using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Logging;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>Health checks of running workers: out of rotation when unhealthy, restarted when it lasts (a hung worker).</summary>
internal sealed partial class ControlLoop
{
    private static void StopPeriodicChecks(WorkerGroup group)
    {
        foreach (var timer in group.PeriodicTimers)
        {
            timer.Dispose();
        }

        group.PeriodicTimers.Clear();
    }

    private void StartPeriodicChecks(WorkerGroup group)
    {
        if (group.Config.Health.Enabled)
        {
            Every(group, group.Config.Health.Interval, new HealthCheckDue(group));
        }

        if (group.Config.Recycle.Enabled)
        {
            Every(group, RecycleCheckInterval, new RecycleCheckDue(group));
        }
    }

    private void StartHealthChecks(WorkerGroup group)
    {
        if (_phase != SupervisorPhase.Running || group.Phase != GroupPhase.Serving)
        {
            return;
        }

        foreach (var worker in group.Workers.Where(w => w.State is WorkerState.Ready or WorkerState.Unhealthy && !w.HealthCheckInFlight))
        {
            worker.HealthCheckInFlight = true;
            var spawn = worker.Spawn;
            PostWhenDone(
                _services.Health.CheckAsync(worker.Port, group.Config.Health, group.Config.Worker.Protocol, CancellationToken.None),
                check => new HealthCheckCompleted(worker, spawn, check.IsCompletedSuccessfully ? check.Result : HealthCheckResult.Fail(check.Exception?.GetBaseException().Message ?? "cancelled")));
        }
    }

    private void OnHealthCheckCompleted(Worker worker, HealthCheckResult result)
    {
        worker.HealthCheckInFlight = false;
        if (worker.State is not (WorkerState.Ready or WorkerState.Unhealthy) || _phase != SupervisorPhase.Running)
        {
            return;
        }

        if (result.Healthy)
        {
            RecordHealthPass(worker, $"health check passed after {worker.HealthFailures} failures");
        }
        else
        {
            RecordHealthFailure(worker, result.Detail);
        }
    }

    /// <summary>A passed check (or watchdog ping): the failures in a row are over; an unhealthy worker is healthy again.</summary>
    private void RecordHealthPass(Worker worker, string what)
    {
        if (worker.State == WorkerState.Unhealthy)
        {
            _transitions.Move(worker, WorkerState.Ready, $"{what}; {(worker.Group.FrontEnd.ReachableOutOfRotation ? "healthy again" : "back in rotation")}");
        }

        worker.HealthFailures = 0;
    }

    /// <summary>One more failed check in a row: out of rotation at health.unhealthyThreshold, restarted at health.restartThreshold.</summary>
    private void RecordHealthFailure(Worker worker, string detail)
    {
        var health = worker.Group.Config.Health;
        worker.HealthFailures++;
        using (AppScope(worker.Group))
        {
            WorkerLog.HealthCheckFailed(_logger, worker.Id, worker.Pid, worker.HealthFailures, detail);
        }

        var failing = false;
        if (worker.State == WorkerState.Ready && worker.HealthFailures >= health.UnhealthyThreshold)
        {
            // With a shared socket nothing can take it out of the kernel's rotation; it is restarted at the restart threshold.
            var consequence = worker.Group.FrontEnd.ReachableOutOfRotation ? "it still accepts connections from the shared socket until it is restarted" : "out of rotation";
            _transitions.Move(worker, WorkerState.Unhealthy, $"{worker.HealthFailures} health checks failed in a row ({detail}); {consequence}", LogLevel.Warning);
            failing = true;
        }

        if (worker.HealthFailures >= health.RestartThreshold)
        {
            Stop(worker, $"still unhealthy after {worker.HealthFailures} failed health checks ({detail}); restarting it", LogLevel.Warning);
            failing = true;
        }

        if (failing)
        {
            OnOperationWorkerUnhealthy(worker, $"{worker.HealthFailures} failed health checks in a row ({detail})");
        }
    }

    /// <summary>
    /// The front end could not connect to a ready worker: out of rotation now (the front end already skips it), back
    /// once its readiness check passes again, restarted if it does not within the readiness timeout.
    /// </summary>
    private void OnUnreachable(WorkerEndpoint endpoint, string reason)
    {
        if (_groups.SelectMany(g => g.Workers).FirstOrDefault(w => w.Group.Name == endpoint.App && w.Id == endpoint.WorkerId && w.Pid == endpoint.Pid && w.Process is not null) is not { State: WorkerState.Ready } worker)
        {
            // Already exited, restarting or out of rotation: its own events tell the rest.
            return;
        }

        _transitions.Move(worker, WorkerState.Unhealthy, $"the front end could not connect ({reason}); out of rotation until it answers again", LogLevel.Warning);
        var spawn = worker.Spawn;
        var check = new CancellationTokenSource();
        worker.StartReadinessCheck(check);
        PostWhenSucceeded(_services.Readiness.WaitUntilReadyAsync(worker.Port, worker.Pid ?? 0, worker.Group.Config.Worker, worker.Group.FrontEnd.WorkerSocket, check.Token), _ => new ReachabilityRestored(worker, spawn));
        worker.ReplaceTimer(After(Readiness(worker).Timeout, new ReachabilityTimedOut(worker, spawn)));
        OnOperationWorkerUnhealthy(worker, $"the front end could not connect ({reason})");
    }
}
