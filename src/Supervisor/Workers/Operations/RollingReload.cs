namespace Cluster.Supervisor.Workers.Operations;

/// <summary>
/// A rolling reload (or restart) of one app in progress: the slots still to replace, the new worker being waited for, and, with
/// reload.confirmAfter, what a rollback needs: each replaced slot's old worker (parked) and new one, and the
/// generation to return to.
/// </summary>
internal sealed class RollingReload(WorkerGroup group, IEnumerable<int> slots, TaskCompletionSource<OperationResult>? reply, string origin)
{
    /// <summary>The app whose workers it replaces.</summary>
    public WorkerGroup Group { get; } = group;

    public Queue<int> Slots { get; } = new(slots);

    public int Total { get; } = slots.Count();

    /// <summary>The new worker of the slot being replaced; the reload moves on when it is ready.</summary>
    public Worker? Current { get; set; }

    public List<string> Replaced { get; } = [];

    public TaskCompletionSource<OperationResult>? Reply { get; } = reply;

    public string Origin { get; } = origin;

    /// <summary>The config in force before this reload, and the one before that (restored as "previous" on rollback).</summary>
    public GenerationRecord? RollbackTo { get; init; }

    public GenerationRecord? PreviousOfRollbackTo { get; init; }

    /// <summary>Confirmed before the old workers go (reload.confirmAfter), and rolled back on a failure; false for a reload
    /// without a window and for the reload a rollback itself starts (a rollback is not rolled back).</summary>
    public bool Confirms { get; init; }

    /// <summary>Replaced workers are parked, not stopped, until the reload is committed (reload.keepOldWorkers).</summary>
    public bool KeepsOldWorkers { get; init; }

    /// <summary>The worker count before this reload's config changed it.</summary>
    public int DesiredBefore { get; init; }

    /// <summary>Each slot this reload has started a new worker for: its old worker (null when none was serving) and the new one.</summary>
    public List<(int Slot, Worker? Old, Worker New)> Pairs { get; } = [];

    /// <summary>All slots replaced, waiting out reload.confirmAfter since then; null before.</summary>
    public DateTimeOffset? ConfirmingSince { get; set; }

    public ITimer? ConfirmTimer { get; set; }

    /// <summary>A reload re-read the config; a restart (`supervisor restart`) replaces the workers with the same config.</summary>
    public bool ReadsConfig { get; init; } = true;

    /// <summary>"reload" or "restart", for messages.</summary>
    public string Noun => ReadsConfig ? "reload" : "restart";

    public bool IsNew(Worker worker) => Pairs.Any(p => p.New == worker);

    public bool IsOld(Worker worker) => Pairs.Any(p => p.Old == worker);
}
