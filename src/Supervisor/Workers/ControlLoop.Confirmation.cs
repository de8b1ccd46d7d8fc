using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// A reload that cannot break production (reload.confirmAfter): each replaced worker is drained and parked rather than
/// stopped; once every slot is replaced, the new generation must stay ready for confirmAfter. Then the reload is
/// committed and the parked workers stop. If a new worker exits, becomes unhealthy or cannot start meanwhile, the
/// reload is rolled back: the parked workers return to rotation in the same update that takes the new ones out, the
/// new ones stop, and the previous config is in force again.
/// </summary>
internal sealed partial class ControlLoop
{
    /// <summary>Parks a replaced worker when the reload confirms and keeps old workers; otherwise it is drained and stopped.</summary>
    private static bool ParksReplaced(Worker replacement) =>
        replacement.Group.Reload is { Confirms: true, KeepsOldWorkers: true } reload && reload.Current == replacement;

    /// <summary>
    /// A drained worker to be parked. With a shared socket it is SIGSTOPped first and parked only if it then holds no
    /// client connection: it goes on accepting until the signal lands, so it may have taken one since /proc last
    /// showed it idle, and a connection held by a stopped process would wait for the whole window.
    /// </summary>
    private void ParkOnceStopped(Worker worker)
    {
        if (!worker.Group.FrontEnd.ReachableOutOfRotation)
        {
            Park(worker);
            return;
        }

        Freeze(worker);
        var spawn = worker.Spawn;
        PostWhenDone(worker.Group.FrontEnd.ConnectionsHeldWhenStoppedAsync(worker.Endpoint), check => new ParkCheckCompleted(worker, spawn, check.IsCompletedSuccessfully ? check.Result : null));
    }

    /// <summary>Held no connection once stopped: parked. Otherwise it runs again until idle (worker.drainTimeout bounds it).</summary>
    private void OnParkCheckCompleted(Worker worker, long? held)
    {
        if (held == 0)
        {
            Park(worker);
            return;
        }

        Thaw(worker);
        using var scope = AppScope(worker.Group);
        WorkerLog.ParkDeferred(_logger, worker.Id, worker.Pid, held is null ? "its threads did not all stop within a second of SIGSTOP" : $"it had accepted {held} client connection(s) by the time SIGSTOP took effect");
        AwaitIdle(worker);
    }

    /// <summary>Draining -> Parked: kept alive without traffic; with a shared socket SIGSTOPped, as it would accept otherwise.</summary>
    private void Park(Worker worker)
    {
        worker.ReplaceTimer(null);
        worker.ParkAfterDrain = false;
        var shared = worker.Group.FrontEnd.ReachableOutOfRotation;
        _transitions.Move(worker, WorkerState.Parked, $"kept alive without traffic until the reload is confirmed{(shared ? "; SIGSTOP: it accepts nothing from the shared socket meanwhile" : string.Empty)}");
        if (shared && !worker.Frozen)
        {
            Freeze(worker);
        }
    }

    private static void Freeze(Worker worker)
    {
        worker.Frozen = true;
        worker.Process!.TrySignal(PosixSignals.SIGSTOP);
    }

    private static void Thaw(Worker worker)
    {
        if (worker.Frozen)
        {
            worker.Frozen = false;
            worker.Process!.TrySignal(PosixSignals.SIGCONT);
        }
    }

    private void AllSlotsReplaced(RollingReload reload)
    {
        if (!reload.Confirms)
        {
            Commit(reload);
            return;
        }

        var group = reload.Group;
        reload.ConfirmingSince = _time.GetUtcNow();
        reload.ConfirmTimer = After(group.Config.Reload.ConfirmAfter, new ReloadConfirmDue(reload));
        var parked = reload.Pairs.Where(p => p.Old?.State == WorkerState.Parked || p.Old?.ParkAfterDrain == true).Select(p => $"pid {p.Old!.Pid}").ToList();
        using var scope = AppScope(group);
        OperationsLog.ReloadConfirming(_logger, reload.Noun, reload.Pairs.Count, group.Generation, HumanDuration.Format(group.Config.Reload.ConfirmAfter), parked.Count == 0 ? "none" : string.Join(", ", parked));
    }

    /// <summary>The new generation held for confirmAfter (or there is no window): the old workers are stopped.</summary>
    private void Commit(RollingReload reload)
    {
        var group = reload.Group;
        group.Reload = null;
        reload.ConfirmTimer?.Dispose();
        foreach (var old in reload.Pairs.Select(p => p.Old).OfType<Worker>())
        {
            old.ParkAfterDrain = false;
            if (old.State == WorkerState.Parked)
            {
                Stop(old, $"the {reload.Noun} to generation {group.Generation} is committed");
            }
        }

        var replaced = string.Join(", ", reload.Replaced);
        var confirmed = reload.Confirms ? $"; confirmed after {HumanDuration.Format(group.Config.Reload.ConfirmAfter)} without a failure" : string.Empty;
        using (AppScope(group))
        {
            OperationsLog.ReloadFinished(_logger, reload.Noun, reload.Replaced.Count, replaced + confirmed);
        }

        RecordReload(group, ReloadResult.Committed, reload.Origin, $"{reload.Replaced.Count} worker(s) replaced{confirmed}");
        reload.Reply?.TrySetResult(OperationResult.Success($"{reload.Noun}ed {reload.Replaced.Count} worker(s): {replaced}{confirmed}; generation {group.Generation} committed"));
    }

    /// <summary>A worker of the reload's new generation left the rotation on its own (health, watchdog, the front end).</summary>
    private void OnOperationWorkerUnhealthy(Worker worker, string why)
    {
        if (worker.Group.Reload is { Confirms: true } reload && reload.IsNew(worker))
        {
            RollBack(reload, worker, $"the new worker {worker.Id} (pid {worker.Pid}) became unhealthy: {why}");
        }
    }

    private void RollBack(RollingReload reload, Worker failed, string what)
    {
        var group = reload.Group;
        group.Reload = null;
        reload.ConfirmTimer?.Dispose();
        var failedGeneration = group.Generation;
        var rollbackTo = reload.RollbackTo!;
        UseAppConfig(group, rollbackTo.Config, rollbackTo.Generation);
        group.Previous = reload.PreviousOfRollbackTo;
        if (_generation == failedGeneration)
        {
            // Nothing was applied since the failed generation (to any app): the supervisor's config is the one before it again.
            _generation = rollbackTo.Generation;
        }

        if (group.Desired != reload.DesiredBefore)
        {
            SetDesired(group, reload.DesiredBefore, "rollback");
        }

        var reason = $"{reload.Noun} rolled back: {what}; generation {rollbackTo.Generation} is in force again";
        string serving;
        if (reload.KeepsOldWorkers)
        {
            var restored = new List<string>();
            var neverReplaced = new List<string>();
            foreach (var (slot, old, replacement) in reload.Pairs)
            {
                if (old is { State: WorkerState.Parked or WorkerState.Draining })
                {
                    Unpark(old, reload.Noun, failedGeneration);
                    restored.Add($"{slot} (pid {old.Pid})");
                }
                else if (old is { State: WorkerState.Ready })
                {
                    // Its replacement failed before it was ready: this one never left the rotation.
                    neverReplaced.Add($"{slot} (pid {old.Pid})");
                }

                Withdraw(replacement, $"the {reload.Noun} to generation {failedGeneration} is rolled back");
                if (slot < group.Desired && !group.Workers.Any(w => w.Id == slot && group.IsSlotHolder(w)))
                {
                    // Its old worker is not there to return (it exited, or the slot was failing already): the
                    // previous config starts anew in it.
                    var fresh = new Worker(group, slot) { Restarts = replacement.Restarts };
                    group.Workers.Add(fresh);
                    Spawn(fresh);
                }
            }

            serving = (restored.Count, neverReplaced.Count) switch
            {
                (0, 0) => "no old worker was parked to return",
                (0, _) => $"the old workers still serve, never replaced: {string.Join(", ", neverReplaced)}",
                (_, 0) => $"the old workers serve again: {string.Join(", ", restored)}",
                _ => $"the old workers serve again: {string.Join(", ", restored)}; never replaced, still serving: {string.Join(", ", neverReplaced)}",
            };
        }
        else
        {
            // The old processes are gone (reload.keepOldWorkers false): the previous config starts anew, one slot at a
            // time, each new process ready before the failing one leaves. A worker that exits meanwhile restarts
            // with the previous config too, as it is the running one again.
            StartRollingReload(group, reply: null, "rollback", rollbackTo: null, previousOfRollbackTo: null, group.Desired);
            serving = "reload.keepOldWorkers is false, so the previous config is being started again, from the files on disk";
        }

        using (AppScope(group))
        {
            OperationsLog.ReloadRolledBack(_logger, reason, serving);
        }

        RecordReload(group, ReloadResult.RolledBack, reload.Origin, what);
        reload.Reply?.TrySetResult(OperationResult.Failure($"{reason}; {serving}", failed.Process?.RecentOutput ?? failed.LastExit?.LastOutput ?? []));
    }

    /// <summary>Parked (or still draining) -> Ready: back into rotation; with a shared socket SIGCONT.</summary>
    private void Unpark(Worker old, string noun, int failedGeneration)
    {
        old.Retiring = false;
        old.ParkAfterDrain = false;
        old.ReplaceTimer(null);
        _transitions.Move(old, WorkerState.Ready, $"the {noun} to generation {failedGeneration} is rolled back; back in rotation");
        Thaw(old);
    }

    /// <summary>Takes a worker of the failed generation out, as scaling down does: drained and stopped if it serves.</summary>
    private void Withdraw(Worker worker, string reason)
    {
        if (!worker.Group.Workers.Contains(worker))
        {
            return;
        }

        if (worker.Replaces is { } old)
        {
            old.ReplacedBy = null;
        }

        RetireSlot(worker, reason);
    }

    private void RecordReload(WorkerGroup group, ReloadResult result, string origin, string detail)
    {
        group.ReloadCounts[result] = group.ReloadCounts.GetValueOrDefault(result) + 1;
        group.LastReload = new ReloadOutcome(result, origin, group.Generation, detail, _time.GetUtcNow()) { App = group.Name };
        _reloadSummary = Summary(group.LastReload, Serving.Count > 1 ? group.Name : null);
    }
}
