using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// Operating a running cluster: rolling reload and restart, scale, rollback, and applying a re-read config (SIGHUP),
/// which adds and removes apps. Each app runs one operation at a time, independently of the others; a reload
/// replaces each slot the way recycling does (the new worker first), so capacity never drops.
/// </summary>
internal sealed partial class ControlLoop
{
    /// <summary>The supervisor's config generation: 1 at start, +1 for every config applied (to any app).</summary>
    private int _generation = 1;

    /// <summary>Why a new operation on the app cannot start now; null when it can.</summary>
    private string? Busy(WorkerGroup group) =>
        _phase != SupervisorPhase.Running ? "the supervisor is stopping"
        : _upgrade is not null ? $"an upgrade ({_upgrade.Origin}) is in progress: the new supervisor is pid {_upgrade.Successor.Pid}{(_upgrade.Failure is null ? string.Empty : $", being stopped ({_upgrade.Failure})")}"
        : _predecessor is not null ? $"this supervisor is taking over from supervisor pid {_predecessor.Pid} (an upgrade)"
        : group.Phase == GroupPhase.Leaving ? $"app {group.Name} is being removed"
        : group.Reload is { ConfirmingSince: { } since } confirming ? $"a rolling {confirming.Noun} ({confirming.Origin}) is confirming generation {group.Generation} until {since + group.Config.Reload.ConfirmAfter:HH:mm:ss} (reload.confirmAfter {HumanDuration.Format(group.Config.Reload.ConfirmAfter)})"
        : group.Reload is { } reload ? $"a rolling {reload.Noun} ({reload.Origin}) is in progress"
        : group.Scale is { } scale ? $"scaling to {scale.To} workers is in progress"
        : null;

    /// <summary>Why an operation on the whole supervisor (an upgrade) cannot start now: any app busy; null when none is.</summary>
    private string? Busy() => _groups
        .Select(g => Busy(g) is { } why && (g.Reload is not null || g.Scale is not null || g.Phase == GroupPhase.Leaving) && _groups.Count > 1 ? $"app {g.Name}: {why}" : Busy(g))
        .FirstOrDefault(why => why is not null);

    private List<WorkerGroup> Serving => [.. _groups.Where(g => g.Phase == GroupPhase.Serving)];

    /// <summary>
    /// The app a command names, or without a name the only one; null (and the reply given, listing the apps) when
    /// there is no such app, or several and none named.
    /// </summary>
    private WorkerGroup? Named(string? app, string command, TaskCompletionSource<OperationResult> reply)
    {
        var serving = Serving;
        if (app is null ? serving.Count == 1 : serving.FirstOrDefault(g => g.Name == app) is not null)
        {
            return app is null ? serving[0] : serving.First(g => g.Name == app);
        }

        var names = string.Join(", ", serving.Select(g => g.Name));
        reply.TrySetResult(OperationResult.Failure(app is null
            ? $"{command} needs the name of an app: the apps are {names}"
            : $"{command}: there is no app {app}; the apps are {names}") with { UnknownApp = true });
        return null;
    }

    private void OnReloadRequested(string? app, TaskCompletionSource<OperationResult> reply)
    {
        var origin = app is null ? "supervisor reload" : $"supervisor reload {app}";
        NotifyReloading(origin);
        WorkerGroup? named = null;
        if (app is not null && (named = Named(app, "reload", reply)) is null)
        {
            return;
        }

        var loaded = _services.ConfigSource.Load();
        if (!loaded.IsValid)
        {
            OperationsLog.ConfigRejected(_logger, origin, _generation, string.Join("; ", loaded.Errors));
            foreach (var group in named is null ? Serving : [named])
            {
                RecordReload(group, ReloadResult.Refused, origin, "the config is invalid");
            }

            reply.TrySetResult(OperationResult.Failure($"reload refused: the config is invalid; generation {_generation} stays in force", [.. loaded.Errors.Select(e => e.ToString())]) with { InvalidConfig = true });
            return;
        }

        if (named is null)
        {
            // One app only: its workers are replaced whether or not its config changed, as a reload always did.
            ApplyConfig(loaded.Config!, origin, reply, rollTheOnlyApp: true);
        }
        else if (loaded.Config!.App(named.Name) is not { } reloaded)
        {
            reply.TrySetResult(OperationResult.Failure($"reload refused: app {named.Name} is no longer in {_config.ConfigFile}; `supervisor reload` without a name (or SIGHUP) applies the whole config, which removes it"));
        }
        else if (Busy(named) is { } busy)
        {
            RecordReload(named, ReloadResult.Refused, origin, busy);
            reply.TrySetResult(OperationResult.Failure($"reload refused: {busy}"));
        }
        else
        {
            ApplyToApp(named, reloaded, origin, reply);
        }
    }

    /// <summary>`supervisor rollback [APP]`: the app's previous config, kept in memory (the files may have changed), as a rolling reload.</summary>
    private void OnRollbackRequested(string? app, TaskCompletionSource<OperationResult> reply)
    {
        NotifyReloading("supervisor rollback");
        if (Named(app, "rollback", reply) is not { } group)
        {
            return;
        }

        if (Busy(group) is { } busy)
        {
            RecordReload(group, ReloadResult.Refused, "supervisor rollback", busy);
            reply.TrySetResult(OperationResult.Failure($"rollback refused: {busy}"));
            return;
        }

        if (group.Previous is not { } previous)
        {
            reply.TrySetResult(OperationResult.Failure($"rollback refused: generation {group.Generation} is the first {(Serving.Count == 1 ? "this supervisor has run" : $"of app {group.Name}")}; there is no previous config to go back to"));
            return;
        }

        using (AppScope(group))
        {
            OperationsLog.RollingBack(_logger, previous.Generation, group.Generation);
        }

        ApplyToApp(group, previous.Config, "supervisor rollback", reply);
    }

    /// <summary>`supervisor restart APP [ID]`: new processes of the same config, slot by slot; no config is read.</summary>
    private void OnRestartRequested(string? app, int? id, TaskCompletionSource<OperationResult> reply)
    {
        if (Named(app, "restart", reply) is not { } group)
        {
            return;
        }

        if (Busy(group) is { } busy)
        {
            reply.TrySetResult(OperationResult.Failure($"restart refused: {busy}"));
            return;
        }

        var slots = group.Workers.Where(group.IsSlotHolder).Select(w => w.Id).Distinct().Order().ToList();
        if (id is int slot && !slots.Contains(slot))
        {
            reply.TrySetResult(OperationResult.Failure($"restart: app {group.Name} has no worker {slot}; its workers are {(slots.Count == 0 ? "none" : string.Join(", ", slots))}") with { UnknownApp = true });
            return;
        }

        var current = new GenerationRecord(group.Config, group.Generation);
        StartRollingReload(group, reply, id is int one ? $"supervisor restart of worker {one}" : "supervisor restart", current, group.Previous, group.Desired, id is int only ? [only] : null, readsConfig: false);
    }

    /// <summary>SIGHUP: re-read the config and apply what changed; a bad config changes nothing.</summary>
    private void OnConfigReloadSignal()
    {
        NotifyReloading("SIGHUP");
        var loaded = _services.ConfigSource.Load();
        if (!loaded.IsValid)
        {
            OperationsLog.ConfigRejected(_logger, "SIGHUP", _generation, string.Join("; ", loaded.Errors));
            foreach (var group in Serving)
            {
                RecordReload(group, ReloadResult.Refused, "SIGHUP", "the config is invalid");
            }

            return;
        }

        ApplyConfig(loaded.Config!, "SIGHUP", reply: null, rollTheOnlyApp: false);
    }

    /// <summary>
    /// Applies a whole config as one generation: the machine's live keys at once, each changed app as its own rolling
    /// reload (when its workers' program changed) or live, removed apps drained and stopped, added apps started. Refused
    /// as a whole when an app it changes is busy.
    /// </summary>
    private void ApplyConfig(SupervisorConfig loaded, string origin, TaskCompletionSource<OperationResult>? reply, bool rollTheOnlyApp)
    {
        var changes = ConfigChanges.Between(_config, loaded);
        var kept = ConfigChanges.KeepRestartOnly(_config, loaded);
        var serving = Serving;
        if (kept.WorkerFilesCollide)
        {
            // The loaded file passed this rule with a new log.workerFiles, which only a restart applies: the running
            // one, without {app}, would have the new app's workers write into the others' files.
            var collision = $"log.workerFiles takes effect only at a restart, and the running one ({Path.GetFileName(kept.Log.WorkerFiles)}) has no {LogConfig.AppPlaceholder} to tell {kept.Apps.Count} apps' workers apart; restart the supervisor (or supervisor upgrade) to add apps";
            OperationsLog.ConfigRejected(_logger, origin, _generation, collision);
            foreach (var group in serving)
            {
                RecordReload(group, ReloadResult.Refused, origin, collision);
            }

            reply?.TrySetResult(OperationResult.Failure($"reload refused: {collision}"));
            return;
        }

        var touched = serving.Where(g => kept.App(g.Name) is not { } app || ConfigChanges.Between(g.Config, app).Any || (rollTheOnlyApp && kept.Apps.Count == 1)).ToList();
        if (touched.Select(g => (Group: g, Busy: Busy(g))).FirstOrDefault(b => b.Busy is not null) is { Group: not null } refused)
        {
            var why = serving.Count == 1 ? refused.Busy! : $"app {refused.Group.Name}: {refused.Busy}";
            if (reply is null)
            {
                OperationsLog.SignalIgnored(_logger, origin, why);
            }

            foreach (var group in touched)
            {
                RecordReload(group, ReloadResult.Refused, origin, why);
            }

            reply?.TrySetResult(OperationResult.Failure($"reload refused: {why}"));
            return;
        }

        foreach (var change in changes.NeedRestart)
        {
            OperationsLog.NeedsRestart(_logger, change);
        }

        _generation++;
        _config = kept;
        _services.LogLevel.Apply(kept.Log.Level);
        foreach (var frontEnd in _services.FrontEnds.All)
        {
            frontEnd.Configure(kept);
        }

        OperationsLog.ConfigApplied(_logger, _generation, origin, changes.Applied.Count == 0 ? "no changes" : string.Join(", ", changes.Applied));
        var reloads = new List<(string App, Task<OperationResult> Result)>();
        foreach (var group in serving)
        {
            if (kept.App(group.Name) is not { } app)
            {
                Leave(group, origin);
            }
            else if (touched.Contains(group))
            {
                var answer = new TaskCompletionSource<OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (UseForApp(group, app, origin, answer, roll: ConfigChanges.Between(group.Config, app).WorkerProgramChanged || rollTheOnlyApp))
                {
                    reloads.Add((group.Name, answer.Task));
                }
            }
        }

        foreach (var app in kept.Apps.Where(a => serving.All(g => g.Name != a.Name)))
        {
            Join(app, origin);
        }

        if (touched.Count == 0)
        {
            // Only the machine's keys (or nothing) changed: no app's reload to report, the generation is committed.
            _reloadSummary = $"reload committed: generation {_generation}";
        }

        if (reply is not null)
        {
            ReplyWhenDone(reply, reloads, $"configuration generation {_generation} applied");
        }
    }

    /// <summary>One app's new config (reload APP, rollback) as a new generation, by a rolling reload of every slot.</summary>
    private void ApplyToApp(WorkerGroup group, AppConfig loaded, string origin, TaskCompletionSource<OperationResult> reply)
    {
        var kept = ConfigChanges.KeepRestartOnly(group.Config, loaded);
        var changes = ConfigChanges.Between(group.Config, kept);
        foreach (var change in ConfigChanges.Between(group.Config, loaded).All.Where(c => c.Applies == Shared.Configuration.Layout.Applies.Restart))
        {
            OperationsLog.NeedsRestart(_logger, $"{Prefix(group)}{change.Text}");
        }

        _generation++;
        _config = _config with { Apps = [.. _config.Apps.Select(a => a.Name == group.Name ? kept : a)] };
        using (AppScope(group))
        {
            OperationsLog.ConfigApplied(_logger, _generation, origin, changes.All.Count == 0 ? "no changes" : string.Join(", ", changes.All.Select(c => $"{Prefix(group)}{c.Text}{(c.Applies == Shared.Configuration.Layout.Applies.RollingReload ? " (rolling reload)" : string.Empty)}")));
        }

        UseForApp(group, kept, origin, reply, roll: true);
    }

    /// <summary>"apps.shop." before an app's key in messages, unless the config is of the short form.</summary>
    private string Prefix(WorkerGroup group) => _config.IsShortForm ? string.Empty : $"apps.{group.Name}.";

    /// <summary>
    /// Makes <paramref name="app"/> the group's config as the current generation (the old one kept for a rollback),
    /// applies its worker count, and replaces its workers when <paramref name="roll"/>; true when a rolling reload
    /// started (it answers <paramref name="reply"/>), false when the reply was given at once.
    /// </summary>
    private bool UseForApp(WorkerGroup group, AppConfig app, string origin, TaskCompletionSource<OperationResult> reply, bool roll)
    {
        var before = new GenerationRecord(group.Config, group.Generation);
        var previousOfBefore = group.Previous;
        var desiredBefore = group.Desired;
        group.Previous = before;
        UseAppConfig(group, app, _generation);
        // A range is not reset to its starting count: the pool sizer moves from where the pool is, within the new
        // range (down to its max at once), at its next check; a count `scale` set over a range ends here.
        group.ScaledOverRange = null;
        if (app.Workers.Range is { } range)
        {
            if (group.Desired > range.Max.Count)
            {
                SetDesired(group, range.Max.Count, $"{origin}: above the new workers.max");
            }
        }
        else if (before.Config.Workers.IsRanged || app.Workers.Count != before.Config.Workers.Count)
        {
            SetDesired(group, app.Workers.Count, origin);
        }

        if (roll)
        {
            StartRollingReload(group, reply, origin, before, previousOfBefore, desiredBefore);
            return true;
        }

        RecordReload(group, ReloadResult.Committed, origin, "applied without replacing a worker");
        reply.TrySetResult(OperationResult.Success($"configuration generation {_generation} applied"));
        return false;
    }

    /// <summary>Makes <paramref name="app"/> the group's running config (its live parts applied at once) as generation <paramref name="generation"/>.</summary>
    private void UseAppConfig(WorkerGroup group, AppConfig app, int generation)
    {
        group.Use(app, generation, _services.Random);
        _config = _config with { Apps = [.. _config.Apps.Select(a => a.Name == app.Name ? app : a)] };
        StopPeriodicChecks(group);
        StartPeriodicChecks(group);
    }

    /// <summary>A new app in the config: its group, and its workers started (the other apps untouched).</summary>
    private void Join(AppConfig app, string origin)
    {
        var group = new WorkerGroup(app, _generation, _services.FrontEnds.For(app), _services.Random);
        group.Desired = StartingCount(app, _groups.Sum(g => g.Workers.Count(w => w.Process is not null || g.IsSlotHolder(w))));
        _groups.Add(group);
        using (AppScope(group))
        {
            OperationsLog.AppAdded(_logger, app.Name, origin, group.Desired, app.RoutesDescription);
        }

        StartPeriodicChecks(group);
        ManageWorkers(group);
    }

    /// <summary>An app taken out of the config: out of the routes at once (the next publish), its workers drained and stopped.</summary>
    private void Leave(WorkerGroup group, string origin)
    {
        using (AppScope(group))
        {
            OperationsLog.AppLeaving(_logger, group.Name, origin, group.Workers.Count);
        }

        FailOperation(group, $"app {group.Name} was removed from the config");
        group.Phase = GroupPhase.Leaving;
        StopPeriodicChecks(group);
        var reason = $"app {group.Name} was removed from the config ({origin})";
        foreach (var worker in group.Workers.ToList())
        {
            // Kept for a rollback that cannot come any more: parked ones stop, draining ones stop once drained.
            worker.ParkAfterDrain = false;
            if (worker.State == WorkerState.Parked)
            {
                Stop(worker, reason);
            }
            else if (!worker.Retiring)
            {
                RetireSlot(worker, reason);
            }
        }
    }

    /// <summary>Answers <paramref name="reply"/> once every app's rolling reload has answered: the worst of them decides.</summary>
    private void ReplyWhenDone(TaskCompletionSource<OperationResult> reply, List<(string App, Task<OperationResult> Result)> reloads, string applied)
    {
        if (reloads.Count == 0)
        {
            reply.TrySetResult(OperationResult.Success(applied));
            return;
        }

        var several = _config.Apps.Count > 1;
        Task.WhenAll(reloads.Select(r => r.Result)).ContinueWith(
            _ =>
            {
                var results = reloads.Select(r => (r.App, Result: r.Result.Result)).ToList();
                reply.TrySetResult(!several ? results[0].Result : new OperationResult(
                    results.All(r => r.Result.Ok),
                    string.Join("; ", results.Select(r => $"app {r.App}: {r.Result.Message}")))
                {
                    Details = [.. results.SelectMany(r => r.Result.Details.Select(d => $"{r.App}| {d}"))],
                });
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <param name="only">Slots to replace (a restart of one worker); every slot the group holds when null.</param>
    /// <param name="readsConfig">A reload (the config re-read) rather than a restart (the same config, new processes).</param>
    private void StartRollingReload(WorkerGroup group, TaskCompletionSource<OperationResult>? reply, string origin, GenerationRecord? rollbackTo, GenerationRecord? previousOfRollbackTo, int desiredBefore, IReadOnlyList<int>? only = null, bool readsConfig = true)
    {
        var slots = only ?? group.Workers.Where(group.IsSlotHolder).Select(w => w.Id).Distinct().Order().ToList();
        group.Reload = new RollingReload(group, slots, reply, origin)
        {
            Confirms = group.Config.Reload.Confirms && rollbackTo is not null,
            KeepsOldWorkers = group.Config.Reload.KeepOldWorkers,
            RollbackTo = rollbackTo,
            PreviousOfRollbackTo = previousOfRollbackTo,
            DesiredBefore = desiredBefore,
            ReadsConfig = readsConfig,
        };
        using (AppScope(group))
        {
            OperationsLog.ReloadStarted(_logger, group.Reload.Noun, origin, slots.Count);
        }

        AdvanceReload(group);
    }

    /// <summary>Starts the replacement of the app's next slot, or finishes the reload when none is left.</summary>
    private void AdvanceReload(WorkerGroup group)
    {
        while (group.Reload is { Current: null } reload)
        {
            if (!reload.Slots.TryDequeue(out var id))
            {
                AllSlotsReplaced(reload);
                return;
            }

            if (group.Workers.FirstOrDefault(w => w.Id == id && group.IsSlotHolder(w)) is not { } holder)
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
                reload.Current = StartReplacement(holder, $"rolling {reload.Noun}");
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
        if (worker.Group.Reload is { } reload && reload.Current == worker)
        {
            reload.Replaced.Add($"{worker.Id} (pid {worker.Pid})");
            reload.Current = null;
            AdvanceReload(worker.Group);
        }
    }

    /// <summary>
    /// A worker of the reload exited. A new one: with reload.confirmAfter the reload is rolled back; without, the
    /// reload stops there when it had not become ready yet (the slots already replaced keep their new workers).
    /// </summary>
    private void OnOperationWorkerExited(Worker worker)
    {
        var group = worker.Group;
        if (group.Reload is not { } reload)
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

        group.Reload = null;
        var reason = $"{reload.Noun} stopped: the new worker {worker.Id} (pid {worker.Pid}) {worker.LastExit?.Description ?? "failed"}; {reload.Replaced.Count} of {reload.Total} slot(s) had been replaced; the old workers keep serving";
        using (AppScope(group))
        {
            OperationsLog.ReloadFailed(_logger, reason);
        }

        RecordReload(group, ReloadResult.Failed, reload.Origin, reason);
        reload.Reply?.TrySetResult(OperationResult.Failure(reason, worker.LastExit?.LastOutput ?? []));
    }

    private void OnScaleRequested(string? app, ScaleTarget target, TaskCompletionSource<OperationResult> reply)
    {
        if (Named(app, "scale", reply) is not { } group)
        {
            return;
        }

        var count = target.Resolve(group.Desired);
        if (Busy(group) is { } busy)
        {
            reply.TrySetResult(OperationResult.Failure($"scale refused: {busy}"));
        }
        else if (count is < 1 or > WorkerCount.Max)
        {
            reply.TrySetResult(OperationResult.Failure($"scale refused: {target} from {group.Desired} gives {count}; allowed: 1 to {WorkerCount.Max} workers"));
        }
        else if (count == group.Desired && !group.IsSized)
        {
            reply.TrySetResult(OperationResult.Success($"already {count} worker(s){OverRange(group)}"));
        }
        else
        {
            FixOverRange(group, count);
            if (count == group.Desired)
            {
                reply.TrySetResult(OperationResult.Success($"already {count} worker(s){OverRange(group)}"));
                return;
            }

            var before = group.SlotHolders;
            var from = group.Desired;
            SetDesired(group, count, app is null ? "supervisor scale" : $"supervisor scale {app}");
            group.Scale = new ScaleOperation(from, count, reply)
            {
                Note = OverRange(group),
                Leaving = [.. before.Where(w => !group.IsSlotHolder(w))],
                Joining = [.. group.SlotHolders.Except(before).Select(w => w.Id)],
            };
        }
    }

    /// <summary>`scale` on an app whose workers are a range: that count, fixed, until the app's next reload.</summary>
    private void FixOverRange(WorkerGroup group, int count)
    {
        if (group.Config.Workers.Range is { } range)
        {
            group.ScaledOverRange = count;
            group.Held = null;
            using (AppScope(group))
            {
                Pools.PoolLog.RangeOverridden(_logger, group.Name, count, range.ToString());
            }
        }
    }

    /// <summary>What a `scale` answer adds for an app whose range it overrides.</summary>
    private static string OverRange(WorkerGroup group) => group.Config.Workers.Range is { } range && group.ScaledOverRange is { } fixedCount
        ? $"; app {group.Name}'s workers are a range ({range}): {fixedCount} is a fixed count until its next reload, which sizes the pool by load again"
        : string.Empty;

    /// <summary>SIGTTIN / SIGTTOU: one worker more or less, as in gunicorn; with several apps, say which with `supervisor scale APP`.</summary>
    private void ScaleBy(int delta, string origin)
    {
        if (Serving is not [var group])
        {
            OperationsLog.SignalIgnored(_logger, origin, $"there are {Serving.Count} apps ({string.Join(", ", Serving.Select(g => g.Name))}); scale one with `supervisor scale APP N`");
            return;
        }

        var count = group.Desired + delta;
        if (Busy(group) is { } busy)
        {
            OperationsLog.SignalIgnored(_logger, origin, busy);
        }
        else if (count is < 1 or > WorkerCount.Max)
        {
            OperationsLog.SignalIgnored(_logger, origin, $"the worker count would be {count}");
        }
        else
        {
            FixOverRange(group, count);
            SetDesired(group, count, origin);
        }
    }

    /// <summary>New slots start at once; the highest slots above the count drain before they stop (never a hard kill).</summary>
    private void SetDesired(WorkerGroup group, int count, string origin)
    {
        using (AppScope(group))
        {
            OperationsLog.Scaling(_logger, group.Desired, count, origin);
        }

        group.Desired = count;
        foreach (var holder in group.SlotHolders.Skip(count).ToList())
        {
            RetireHolder(holder, $"scaled down to {count} worker(s) ({origin})");
        }

        ManageWorkers(group);
    }

    /// <summary>A slot holder leaves (scaled away, or retired by the pool), with the replacement it may have starting.</summary>
    private void RetireHolder(Worker holder, string reason)
    {
        if (holder.ReplacedBy is { } replacement)
        {
            RetireSlot(replacement, reason);
        }

        RetireSlot(holder, reason);
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
    private static void CheckScale(WorkerGroup group)
    {
        if (group.Scale is not { } scale)
        {
            return;
        }

        if (scale.To < scale.From)
        {
            if (!scale.Leaving.Any(group.Workers.Contains))
            {
                Finish(OperationResult.Success($"scaled down from {scale.From} to {scale.To} worker(s); removed workers drained and stopped{scale.Note}"));
            }

            return;
        }

        var holders = scale.Joining.Select(id => group.Workers.FirstOrDefault(w => w.Id == id && group.IsSlotHolder(w))).ToList();
        if (holders.FirstOrDefault(w => w is { LastExit: not null, State: WorkerState.Backoff or WorkerState.CrashLoop or WorkerState.Failed }) is { } failed)
        {
            Finish(OperationResult.Failure($"scale to {scale.To}: the new worker {failed.Id} (pid {failed.Pid}) {failed.LastExit!.Description}; it will be retried by the restart policy", failed.LastExit.LastOutput));
        }
        else if (holders.All(w => w?.State == WorkerState.Ready))
        {
            Finish(OperationResult.Success($"scaled up from {scale.From} to {scale.To} worker(s); all ready{scale.Note}"));
        }

        void Finish(OperationResult result)
        {
            group.Scale = null;
            scale.Reply.TrySetResult(result);
        }
    }

    private static void FailOperation(WorkerGroup group, string reason)
    {
        group.Reload?.ConfirmTimer?.Dispose();
        group.Reload?.Reply?.TrySetResult(OperationResult.Failure($"{group.Reload.Noun} interrupted: {reason}"));
        group.Reload = null;
        group.Scale?.Reply.TrySetResult(OperationResult.Failure($"scale interrupted: {reason}"));
        group.Scale = null;
    }
}
