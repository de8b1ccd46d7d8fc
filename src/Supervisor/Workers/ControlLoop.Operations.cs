using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Cluster.Supervisor.Workers.Restarts;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// Operating a running cluster: rolling reload, scale, and applying a re-read config (SIGHUP). One operation at a
/// time; a reload replaces each slot the way recycling does (the new worker first), so capacity never drops.
/// </summary>
internal sealed partial class ControlLoop
{
    private RollingReload? _reload;
    private ScaleOperation? _scale;
    private int _generation = 1;
    private int _desired;

    /// <summary>The config in force before the current one: what `supervisor rollback` re-applies.</summary>
    private GenerationRecord? _previous;

    /// <summary>Why a new operation cannot start now; null when it can.</summary>
    private string? Busy =>
        _phase != SupervisorPhase.Running ? "the supervisor is stopping"
        : _reload is { ConfirmingSince: { } since } confirming ? $"a rolling reload ({confirming.Origin}) is confirming generation {_generation} until {since + _config.Reload.ConfirmAfter:HH:mm:ss} (reload.confirmAfter {HumanDuration.Format(_config.Reload.ConfirmAfter)})"
        : _reload is not null ? $"a rolling reload ({_reload.Origin}) is in progress"
        : _scale is not null ? $"scaling to {_scale.To} workers is in progress"
        : _upgrade is not null ? $"an upgrade ({_upgrade.Origin}) is in progress: the new supervisor is pid {_upgrade.Successor.Pid}{(_upgrade.Failure is null ? string.Empty : $", being stopped ({_upgrade.Failure})")}"
        : _predecessor is not null ? $"this supervisor is taking over from supervisor pid {_predecessor.Pid} (an upgrade)"
        : null;

    private void OnReloadRequested(TaskCompletionSource<OperationResult> reply)
    {
        NotifyReloading("supervisor reload");
        if (Busy is { } busy)
        {
            RecordReload(ReloadResult.Refused, "supervisor reload", busy);
            reply.TrySetResult(OperationResult.Failure($"reload refused: {busy}"));
            return;
        }

        var loaded = _services.ConfigSource.Load();
        if (!loaded.IsValid)
        {
            OperationsLog.ConfigRejected(_logger, "supervisor reload", _generation, string.Join("; ", loaded.Errors));
            RecordReload(ReloadResult.Refused, "supervisor reload", "the config is invalid");
            reply.TrySetResult(OperationResult.Failure($"reload refused: the config is invalid; generation {_generation} stays in force", [.. loaded.Errors.Select(e => e.ToString())]) with { InvalidConfig = true });
            return;
        }

        ApplyConfig(loaded.Config!, "supervisor reload", rollEverySlot: true, reply);
    }

    /// <summary>`supervisor rollback`: the previous generation's config, kept in memory (the files may have changed), as a rolling reload.</summary>
    private void OnRollbackRequested(TaskCompletionSource<OperationResult> reply)
    {
        NotifyReloading("supervisor rollback");
        if (Busy is { } busy)
        {
            RecordReload(ReloadResult.Refused, "supervisor rollback", busy);
            reply.TrySetResult(OperationResult.Failure($"rollback refused: {busy}"));
            return;
        }

        if (_previous is not { } previous)
        {
            reply.TrySetResult(OperationResult.Failure($"rollback refused: generation {_generation} is the first this supervisor has run; there is no previous config to go back to"));
            return;
        }

        OperationsLog.RollingBack(_logger, previous.Generation, _generation);
        ApplyConfig(previous.Config, "supervisor rollback", rollEverySlot: true, reply);
    }

    /// <summary>SIGHUP: re-read the config and apply what changed; a bad config changes nothing.</summary>
    private void OnConfigReloadSignal()
    {
        NotifyReloading("SIGHUP");
        if (Busy is { } busy)
        {
            OperationsLog.SignalIgnored(_logger, "SIGHUP", busy);
            RecordReload(ReloadResult.Refused, "SIGHUP", busy);
            return;
        }

        var loaded = _services.ConfigSource.Load();
        if (!loaded.IsValid)
        {
            OperationsLog.ConfigRejected(_logger, "SIGHUP", _generation, string.Join("; ", loaded.Errors));
            RecordReload(ReloadResult.Refused, "SIGHUP", "the config is invalid");
            return;
        }

        ApplyConfig(loaded.Config!, "SIGHUP", rollEverySlot: false, reply: null);
    }

    private void ApplyConfig(SupervisorConfig loaded, string origin, bool rollEverySlot, TaskCompletionSource<OperationResult>? reply)
    {
        var changes = ConfigChanges.Between(_config, loaded);
        foreach (var change in changes.NeedRestart)
        {
            OperationsLog.NeedsRestart(_logger, change);
        }

        var before = new GenerationRecord(_config, _generation);
        var previousOfBefore = _previous;
        var desiredBefore = _desired;
        _previous = before;
        Use(ConfigChanges.KeepRestartOnly(_config, loaded), _generation + 1);
        OperationsLog.ConfigApplied(_logger, _generation, origin, changes.Applied.Count == 0 ? "no changes" : string.Join(", ", changes.Applied));

        if (changes.WorkerCountChanged)
        {
            SetDesired(_config.Workers.Count, origin);
        }

        if (rollEverySlot || changes.WorkerProgramChanged)
        {
            StartRollingReload(reply, origin, before, previousOfBefore, desiredBefore);
        }
        else
        {
            RecordReload(ReloadResult.Committed, origin, "applied without replacing a worker");
            reply?.TrySetResult(OperationResult.Success($"configuration generation {_generation} applied"));
        }
    }

    /// <summary>Makes <paramref name="config"/> the running config (its live parts applied at once) as generation <paramref name="generation"/>.</summary>
    private void Use(SupervisorConfig config, int generation)
    {
        _config = config;
        _generation = generation;
        _restartPolicy = new RestartPolicy(_config.Restart, _services.Random);
        _services.LogLevel.Apply(_config.Log.Level);
        _services.FrontEnd.Configure(_config);
        StopPeriodicChecks();
        StartPeriodicChecks();
    }

    private void StartRollingReload(TaskCompletionSource<OperationResult>? reply, string origin, GenerationRecord? rollbackTo, GenerationRecord? previousOfRollbackTo, int desiredBefore)
    {
        var slots = _workers.Where(IsSlotHolder).Select(w => w.Id).Distinct().Order().ToList();
        _reload = new RollingReload(slots, reply, origin)
        {
            Confirms = _config.Reload.Confirms && rollbackTo is not null,
            KeepsOldWorkers = _config.Reload.KeepOldWorkers,
            RollbackTo = rollbackTo,
            PreviousOfRollbackTo = previousOfRollbackTo,
            DesiredBefore = desiredBefore,
        };
        OperationsLog.ReloadStarted(_logger, origin, slots.Count);
        AdvanceReload();
    }

    /// <summary>The worker that holds its slot: not on its way out, not a replacement still starting.</summary>
    private bool IsSlotHolder(Worker worker) => !worker.Retiring && worker.Replaces is null && worker.Id < _desired;

    /// <summary>Starts the replacement of the next slot, or finishes the reload when none is left.</summary>
    private void AdvanceReload()
    {
        while (_reload is { Current: null } reload)
        {
            if (!reload.Slots.TryDequeue(out var id))
            {
                AllSlotsReplaced(reload);
                return;
            }

            if (_workers.FirstOrDefault(w => w.Id == id && IsSlotHolder(w)) is not { } holder)
            {
                // Scaled away meanwhile.
                continue;
            }

            if (holder.ReplacedBy is { } underway)
            {
                // A recycle of this slot already started with the same config: wait for it.
                reload.Current = underway;
                reload.Pairs.Add((id, holder, underway));
            }
            else if (holder.State is WorkerState.Starting or WorkerState.Ready or WorkerState.Unhealthy)
            {
                reload.Current = StartReplacement(holder, "rolling reload");
                reload.Pairs.Add((id, holder, reload.Current));
            }
            else if (holder.State is WorkerState.Backoff or WorkerState.CrashLoop or WorkerState.Failed)
            {
                // Nothing serves in this slot: start it again now, with the new config and a clean slate.
                holder.ReplaceTimer(null);
                holder.ResetHistory();
                Spawn(holder);
                reload.Current = holder;
                reload.Pairs.Add((id, null, holder));
            }
        }
    }

    private void OnOperationWorkerReady(Worker worker)
    {
        if (_reload?.Current == worker)
        {
            _reload.Replaced.Add($"{worker.Id} (pid {worker.Pid})");
            _reload.Current = null;
            AdvanceReload();
        }
    }

    /// <summary>
    /// A worker of the reload exited. A new one: with reload.confirmAfter the reload is rolled back; without, the
    /// reload stops there when it had not become ready yet (the slots already replaced keep their new workers).
    /// </summary>
    private void OnOperationWorkerExited(Worker worker)
    {
        if (_reload is not { } reload)
        {
            return;
        }

        if (reload.IsNew(worker) && reload.Confirms)
        {
            RollBack(reload, worker, $"the new worker {worker.Id} (pid {worker.Pid}) {worker.LastExit?.Description ?? "failed"}");
            return;
        }

        if (reload.Current != worker || worker.State == WorkerState.Ready)
        {
            return;
        }

        _reload = null;
        var reason = $"reload stopped: the new worker {worker.Id} (pid {worker.Pid}) {worker.LastExit?.Description ?? "failed"}; {reload.Replaced.Count} of {reload.Total} slot(s) had been replaced; the old workers keep serving";
        OperationsLog.ReloadFailed(_logger, reason);
        RecordReload(ReloadResult.Failed, reload.Origin, reason);
        reload.Reply?.TrySetResult(OperationResult.Failure(reason, worker.LastExit?.LastOutput ?? []));
    }

    private void OnScaleRequested(ScaleTarget target, TaskCompletionSource<OperationResult> reply)
    {
        var count = target.Resolve(_desired);
        if (Busy is { } busy)
        {
            reply.TrySetResult(OperationResult.Failure($"scale refused: {busy}"));
        }
        else if (count is < 1 or > WorkerCount.Max)
        {
            reply.TrySetResult(OperationResult.Failure($"scale refused: {target} from {_desired} gives {count}; allowed: 1 to {WorkerCount.Max} workers"));
        }
        else if (count == _desired)
        {
            reply.TrySetResult(OperationResult.Success($"already {count} worker(s)"));
        }
        else
        {
            _scale = new ScaleOperation(_desired, count, reply);
            SetDesired(count, "supervisor scale");
        }
    }

    /// <summary>SIGTTIN / SIGTTOU: one worker more or less, as in gunicorn.</summary>
    private void ScaleBy(int delta, string origin)
    {
        var count = _desired + delta;
        if (Busy is { } busy)
        {
            OperationsLog.SignalIgnored(_logger, origin, busy);
        }
        else if (count is < 1 or > WorkerCount.Max)
        {
            OperationsLog.SignalIgnored(_logger, origin, $"the worker count would be {count}");
        }
        else
        {
            SetDesired(count, origin);
        }
    }

    /// <summary>New slots start at once; slots above the count drain before they stop (never a hard kill).</summary>
    private void SetDesired(int count, string origin)
    {
        OperationsLog.Scaling(_logger, _desired, count, origin);
        _desired = count;
        foreach (var worker in _workers.Where(w => w.Id >= count && !w.Retiring).ToList())
        {
            RetireSlot(worker, $"scaled down to {count} worker(s) ({origin})");
        }

        ManageWorkers();
    }

    private void RetireSlot(Worker worker, string reason)
    {
        worker.Retiring = true;
        worker.ReplacedBy = null;
        worker.Replaces = null;
        switch (worker.State)
        {
            case WorkerState.Ready:
                BeginDrain(worker, reason);
                break;
            case WorkerState.Starting or WorkerState.Unhealthy:
                Stop(worker, reason);
                break;
            case WorkerState.Backoff or WorkerState.CrashLoop or WorkerState.Failed:
                worker.ReplaceTimer(null);
                Retire(worker, reason);
                break;
        }
    }

    /// <summary>Answers `supervisor scale` once its new workers are ready (or one fails) or its removed ones are gone.</summary>
    private void CheckScale()
    {
        if (_scale is not { } scale)
        {
            return;
        }

        if (scale.To < scale.From)
        {
            if (!_workers.Any(w => w.Id >= scale.To))
            {
                Finish(OperationResult.Success($"scaled down from {scale.From} to {scale.To} worker(s); removed workers drained and stopped"));
            }

            return;
        }

        var holders = Enumerable.Range(scale.From, scale.To - scale.From).Select(id => _workers.FirstOrDefault(w => w.Id == id && IsSlotHolder(w))).ToList();
        if (holders.FirstOrDefault(w => w is { LastExit: not null, State: WorkerState.Backoff or WorkerState.CrashLoop or WorkerState.Failed }) is { } failed)
        {
            Finish(OperationResult.Failure($"scale to {scale.To}: the new worker {failed.Id} (pid {failed.Pid}) {failed.LastExit!.Description}; it will be retried by the restart policy", failed.LastExit.LastOutput));
        }
        else if (holders.All(w => w?.State == WorkerState.Ready))
        {
            Finish(OperationResult.Success($"scaled up from {scale.From} to {scale.To} worker(s); all ready"));
        }

        void Finish(OperationResult result)
        {
            _scale = null;
            scale.Reply.TrySetResult(result);
        }
    }

    private void FailOperation(string reason)
    {
        AbandonUpgrade(reason);
        _reload?.ConfirmTimer?.Dispose();
        _reload?.Reply?.TrySetResult(OperationResult.Failure($"reload interrupted: {reason}"));
        _reload = null;
        _scale?.Reply.TrySetResult(OperationResult.Failure($"scale interrupted: {reason}"));
        _scale = null;
    }
}
