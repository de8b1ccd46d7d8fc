using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// Signals, and stopping the supervisor: drain the front end first (its in-flight requests), then stop every worker;
/// a second SIGINT kills. Upgraded connections (WebSockets) are still relayed while the workers stop, so that each
/// app's close frame reaches its client.
/// </summary>
internal sealed partial class ControlLoop
{
    private void OnSignal(int signal)
    {
        var name = PosixSignals.Name(signal);
        switch (signal)
        {
            case PosixSignals.SIGHUP:
                OnConfigReloadSignal();
                break;
            case PosixSignals.SIGTTIN:
                ScaleBy(+1, name);
                break;
            case PosixSignals.SIGTTOU:
                ScaleBy(-1, name);
                break;
            case PosixSignals.SIGUSR2:
                OnUpgradeRequested(name, reply: null);
                break;
            case PosixSignals.SIGINT or PosixSignals.SIGQUIT when _phase != SupervisorPhase.Running:
                StopNow(name);
                break;
            default:
                BeginStop(name);
                break;
        }
    }

    /// <summary>SIGTERM, SIGINT or `supervisor stop`: stop taking connections, let requests finish, then stop the workers.</summary>
    /// <param name="handOver">
    /// A new supervisor has taken over the sockets (an upgrade): the front end stops accepting at once, without the
    /// health endpoint's 503 and drainDelay. A supervisor that never took over from its predecessor stops so too: the
    /// predecessor serves the sockets.
    /// </param>
    private void BeginStop(string source, bool handOver = false)
    {
        if (_phase != SupervisorPhase.Running)
        {
            WorkerLog.AlreadyStopping(_logger, source);
            return;
        }

        WorkerLog.StopRequested(_logger, source, HumanDuration.Format(_config.ShutdownTimeout));
        NotifyStopping(source);
        foreach (var group in _groups)
        {
            FailOperation(group, "the supervisor is stopping");
        }

        AbandonUpgrade("the supervisor is stopping");

        _phase = SupervisorPhase.Draining;
        foreach (var worker in AllWorkers)
        {
            if (worker.State is WorkerState.Backoff or WorkerState.CrashLoop or WorkerState.Failed)
            {
                worker.ReplaceTimer(null);
                Retire(worker, "cleared: the supervisor is stopping");
            }
            else if (worker.State == WorkerState.Starting)
            {
                Stop(worker, "the supervisor is stopping");
            }
        }

        // Every front end at once; the workers are stopped when the last one has drained.
        var drains = _services.FrontEnds.All.Select(f => handOver || TakingOver ? f.HandOverAsync(_config.ShutdownTimeout) : f.DrainAsync(_config.ShutdownTimeout));
        PostWhenDone(Task.WhenAll(drains), _ => new FrontEndDrained());
    }

    /// <summary>A second Ctrl+C means "now": no more waiting for requests or graceful exits.</summary>
    private void StopNow(string name)
    {
        WorkerLog.StopNow(_logger, name);
        _phase = SupervisorPhase.StoppingWorkers;
        foreach (var worker in AllWorkers)
        {
            if (worker.State is WorkerState.Starting or WorkerState.Ready or WorkerState.Unhealthy or WorkerState.Draining or WorkerState.Parked)
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
    }

    /// <summary>Every app's workers, as a list (the loops above change the tables).</summary>
    private List<Worker> AllWorkers => [.. _groups.SelectMany(g => g.Workers)];

    private void StopAllWorkers(string reason)
    {
        if (_phase == SupervisorPhase.Draining)
        {
            _phase = SupervisorPhase.StoppingWorkers;
        }

        WorkerLog.StoppingWorkers(_logger, AllWorkers.Count);
        foreach (var worker in AllWorkers.Where(w => w.State is WorkerState.Ready or WorkerState.Starting or WorkerState.Unhealthy or WorkerState.Draining or WorkerState.Parked).ToList())
        {
            Stop(worker, reason);
        }
    }
}
