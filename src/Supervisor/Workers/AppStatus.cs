using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers;

/// <summary>One app's group, copied for `supervisor status`: its config and generation, its slots, what it is doing.</summary>
internal sealed record AppStatus(
    AppConfig Config,
    GroupPhase Phase,
    int Generation,
    int WorkersWanted,
    string? Operation,
    IReadOnlyList<WorkerSnapshot> Workers)
{
    public string Name => Config.Name;

    /// <summary>How its last rolling reload (or refused reload) ended; null before the first.</summary>
    public ReloadOutcome? LastReload { get; init; }

    /// <summary>Its reloads by how they ended, since the supervisor started.</summary>
    public IReadOnlyDictionary<ReloadResult, long> Reloads { get; init; } = new Dictionary<ReloadResult, long>();
}
