using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers.Operations;
using Cluster.Supervisor.Workers.Restarts;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// The unit an app repeats: its table of slots, the number it should run, the config it runs (and its generation), the
/// operation in progress on it (rolling reload with its confirmation and rollback, rolling restart, scale), its restart
/// policy and periodic checks, and the front end that serves it. Only the control loop touches it, as a
/// <see cref="Worker"/>: one loop owns every group, so that anything about all of them (status, the metrics, a
/// machine-wide worker count) sees them at one instant. Slot ids are the group's own: every app has a worker 0.
/// </summary>
internal sealed class WorkerGroup
{
    public WorkerGroup(AppConfig config, int generation, IFrontEnd frontEnd, Func<double> random)
    {
        FrontEnd = frontEnd;
        Use(config, generation, random);
        Desired = config.Workers.Count;
    }

    public string Name => Config.Name;

    public AppConfig Config { get; private set; } = null!;

    /// <summary>The config generation this app's config came from (the supervisor's, when it was applied).</summary>
    public int Generation { get; private set; }

    public GroupPhase Phase { get; set; } = GroupPhase.Serving;

    /// <summary>Its slot holders and, while one is replaced or scaled away, the workers leaving it.</summary>
    public List<Worker> Workers { get; } = [];

    /// <summary>
    /// How many slots it runs: workers, changed at run time by `scale`, SIGTTIN and SIGTTOU, and, for a range, by the
    /// pool sizer. Each new slot takes the lowest id no slot holder has, so a fixed count's slots are 0..Desired-1 and
    /// a range's ids stay below its max.
    /// </summary>
    public int Desired { get; set; }

    /// <summary>
    /// Set by `scale APP N` on an app whose workers are a range: the count it runs instead, as a fixed pool, until the
    /// next reload of the app; null while the range sizes the pool (and always for a fixed count).
    /// </summary>
    public int? ScaledOverRange { get; set; }

    /// <summary>Whether the pool sizer sizes this app now: its workers are a range, not overridden by `scale`.</summary>
    public bool IsSized => Config.Workers.IsRanged && ScaledOverRange is null;

    /// <summary>Since when each of its workers has been idle, as the pool checks saw them.</summary>
    public Pools.IdleTracker Idle { get; } = new();

    /// <summary>The start the machine-wide cap holds back, as last logged; null when none is held.</summary>
    public string? Held { get; set; }

    /// <summary>What the pool sizer did to this app since the supervisor started, by direction ("up", "down") and cause.</summary>
    public Dictionary<(string Direction, string Why), long> ScaleEvents { get; } = [];

    public RestartPolicy RestartPolicy { get; private set; } = null!;

    /// <summary>The front end that serves this app (the top-level one, or one of its own listener).</summary>
    public IFrontEnd FrontEnd { get; }

    public RollingReload? Reload { get; set; }

    public ScaleOperation? Scale { get; set; }

    /// <summary>The config in force before the current one: what `supervisor rollback` re-applies.</summary>
    public GenerationRecord? Previous { get; set; }

    /// <summary>The health and recycle checks, armed for this app's config.</summary>
    public List<ITimer> PeriodicTimers { get; } = [];

    public Dictionary<ReloadResult, long> ReloadCounts { get; } = [];

    public ReloadOutcome? LastReload { get; set; }

    /// <summary>Makes <paramref name="config"/> this app's running config, as generation <paramref name="generation"/>.</summary>
    public void Use(AppConfig config, int generation, Func<double> random)
    {
        Config = config;
        Generation = generation;
        RestartPolicy = new RestartPolicy(config.Restart, random);
    }

    /// <summary>
    /// The worker that holds its slot: not on its way out (scaled away, retired by the pool, replaced), not a
    /// replacement still starting.
    /// </summary>
    public bool IsSlotHolder(Worker worker) => !worker.Retiring && worker.Replaces is null;

    /// <summary>The workers that hold a slot, by id.</summary>
    public IReadOnlyList<Worker> SlotHolders => [.. Workers.Where(IsSlotHolder).OrderBy(w => w.Id)];

    public int ReadyCount => Workers.Count(w => w.State == WorkerState.Ready);

    /// <summary>Ready workers first by slot, for the front end.</summary>
    public IReadOnlyList<WorkerEndpoint> Ready => [.. Workers.Where(w => w.State == WorkerState.Ready).OrderBy(w => w.Id).Select(w => w.Endpoint)];
}
