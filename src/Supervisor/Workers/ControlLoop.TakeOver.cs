using Cluster.Supervisor.Hosting;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// When the workers first take traffic, and, in a supervisor started by an upgrade, taking over from the predecessor:
/// its own workers all ready and accepting on the handed-over sockets, it asks the predecessor to hand over; once the
/// predecessor has released the pid file and systemd's MAINPID, this one claims them, takes the control socket's path,
/// and only then speaks to systemd (READY=1, the watchdog). A worker that exits before that ends the takeover: the
/// predecessor keeps serving and this supervisor stops.
/// </summary>
internal sealed partial class ControlLoop
{
    /// <summary>The supervisor this one takes over from, until it has; null once taken over, or for a plain start.</summary>
    private IPredecessor? _predecessor;

    private bool _servingStarted;
    private bool _takeOverFailed;

    private bool TakingOver => _predecessor is not null;

    /// <summary>
    /// After every event: once the workers can take traffic (in a takeover, every slot ready; else start-up settled,
    /// as for READY=1), the front end starts accepting on sockets it was handed, and a predecessor is told.
    /// </summary>
    private void CheckServingStart()
    {
        if (_servingStarted || _phase != SupervisorPhase.Running || !(TakingOver ? EverySlotReady() : StartupSettled()))
        {
            return;
        }

        _servingStarted = true;
        _services.Serving.WorkersReady();
    }

    private bool EverySlotReady() => _groups.All(g => g.SlotHolders.Count >= g.Desired && g.SlotHolders.All(w => w.State == WorkerState.Ready));

    private void OnTakeOverGranted(bool predecessorGone)
    {
        if (_predecessor is not { } predecessor || _phase != SupervisorPhase.Running)
        {
            return;
        }

        if (predecessorGone)
        {
            UpgradeLog.PredecessorGone(_logger, predecessor.Pid);
        }

        _services.PidFile.Claim();
        predecessor.Complete();
        _predecessor = null;
        UpgradeLog.TookOver(_logger, predecessor.Pid, predecessor.Version, SupervisorVersion.Current, predecessor.Upgrades + 1);
        StartWatchdog();
        if (Notifier.WatchdogInterval is not null)
        {
            Notifier.Watchdog();
        }
    }

    /// <summary>A worker exited before the takeover: the new supervisor is not fit to take over; the predecessor serves on.</summary>
    private void FailTakeOver(Worker worker)
    {
        var reason = $"the new worker {worker.Id} (pid {worker.Pid}) {worker.LastExit?.Description ?? "exited"} before every worker was ready";
        _takeOverFailed = true;
        UpgradeLog.TakeOverFailed(_logger, _predecessor!.Pid, reason);
        _predecessor.Fail(reason);
        BeginStop("the end of a failed takeover");
    }
}
