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

    /// <summary>The slots 0..Desired-1 and, while one is replaced or scaled away, the workers leaving it.</summary>
    public List<Worker> Workers { get; } = [];

    /// <summary>How many slots it runs: workers, changed at run time by `scale`, SIGTTIN and SIGTTOU.</summary>
    public int Desired { get; set; }

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

    /// <summary>The worker that holds its slot: not on its way out, not a replacement still starting.</summary>
    public bool IsSlotHolder(Worker worker) => !worker.Retiring && worker.Replaces is null && worker.Id < Desired;

    public int ReadyCount => Workers.Count(w => w.State == WorkerState.Ready);

    /// <summary>Ready workers first by slot, for the front end.</summary>
    public IReadOnlyList<WorkerEndpoint> Ready => [.. Workers.Where(w => w.State == WorkerState.Ready).OrderBy(w => w.Id).Select(w => w.Endpoint)];
}
