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

    /// <summary>The count `scale` set over its range (fixed until its next reload); null while the range sizes the pool.</summary>
    public int? ScaledOverRange { get; init; }

    /// <summary>The start the machine-wide cap holds back now, as logged; null when none is.</summary>
    public string? Held { get; init; }

    /// <summary>What the pool sizer did to it since the supervisor started, by direction ("up", "down") and cause.</summary>
    public IReadOnlyDictionary<(string Direction, string Why), long> ScaleEvents { get; init; } = new Dictionary<(string Direction, string Why), long>();

    /// <summary>Its reloads by how they ended, since the supervisor started.</summary>
    public IReadOnlyDictionary<ReloadResult, long> Reloads { get; init; } = new Dictionary<ReloadResult, long>();
}
