using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Logging;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>Health checks of running workers: out of rotation when unhealthy, restarted when it lasts (a hung worker).</summary>
internal sealed partial class ControlLoop
{
    private void StopPeriodicChecks()
    {
        foreach (var timer in _periodicTimers)
        {
            timer.Dispose();
        }

        _periodicTimers.Clear();
    }

    private void StartPeriodicChecks()
    {
        if (_config.Health.Enabled)
        {
            Every(_config.Health.Interval, new HealthCheckDue());
        }

        if (_config.Recycle.Enabled)
        {
            Every(RecycleCheckInterval, new RecycleCheckDue());
        }
    }

    private void StartHealthChecks()
    {
        if (_phase != SupervisorPhase.Running)
        {
            return;
        }

        foreach (var worker in _workers.Where(w => w.State is WorkerState.Ready or WorkerState.Unhealthy && !w.HealthCheckInFlight))
        {
            worker.HealthCheckInFlight = true;
            var spawn = worker.Spawn;
            PostWhenDone(
                _services.Health.CheckAsync(worker.Port, _config.Health, CancellationToken.None),
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
            _transitions.Move(worker, WorkerState.Ready, $"{what}; {(_services.FrontEnd.CountsRequests ? "back in rotation" : "healthy again")}");
        }

        worker.HealthFailures = 0;
    }

    /// <summary>One more failed check in a row: out of rotation at health.unhealthyThreshold, restarted at health.restartThreshold.</summary>
    private void RecordHealthFailure(Worker worker, string detail)
    {
        worker.HealthFailures++;
        WorkerLog.HealthCheckFailed(_logger, worker.Id, worker.Pid, worker.HealthFailures, detail);
        var failing = false;
        if (worker.State == WorkerState.Ready && worker.HealthFailures >= _config.Health.UnhealthyThreshold)
        {
            // With a shared socket nothing can take it out of the kernel's rotation; it is restarted at the restart threshold.
            var consequence = _services.FrontEnd.CountsRequests ? "out of rotation" : "it still accepts connections from the shared socket until it is restarted";
            _transitions.Move(worker, WorkerState.Unhealthy, $"{worker.HealthFailures} health checks failed in a row ({detail}); {consequence}", LogLevel.Warning);
            failing = true;
        }

        if (worker.HealthFailures >= _config.Health.RestartThreshold)
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
        if (_workers.FirstOrDefault(w => w.Id == endpoint.WorkerId && w.Pid == endpoint.Pid && w.Process is not null) is not { State: WorkerState.Ready } worker)
        {
            // Already exited, restarting or out of rotation: its own events tell the rest.
            return;
        }

        _transitions.Move(worker, WorkerState.Unhealthy, $"the front end could not connect ({reason}); out of rotation until it answers again", LogLevel.Warning);
        var spawn = worker.Spawn;
        var check = new CancellationTokenSource();
        worker.StartReadinessCheck(check);
        PostWhenSucceeded(_services.Readiness.WaitUntilReadyAsync(worker.Port, worker.Pid ?? 0, _config.Worker.Readiness, check.Token), _ => new ReachabilityRestored(worker, spawn));
        worker.ReplaceTimer(After(_config.Worker.Readiness.Timeout, new ReachabilityTimedOut(worker, spawn)));
        OnOperationWorkerUnhealthy(worker, $"the front end could not connect ({reason})");
    }
}
