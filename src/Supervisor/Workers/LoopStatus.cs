using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers;

/// <summary>The control loop's state, copied for `supervisor status`.</summary>
internal sealed record LoopStatus(
    SupervisorPhase Phase,
    int Generation,
    int WorkersWanted,
    SupervisorConfig Config,
    string? Operation,
    IReadOnlyList<WorkerSnapshot> Workers)
{
    /// <summary>How the last rolling reload (or refused reload) ended; null before the first.</summary>
    public Operations.ReloadOutcome? LastReload { get; init; }

    /// <summary>Reloads by how they ended, since the supervisor started.</summary>
    public IReadOnlyDictionary<Operations.ReloadResult, long> Reloads { get; init; } = new Dictionary<Operations.ReloadResult, long>();

    /// <summary>How the last upgrade this supervisor attempted ended without a hand-over (refused or failed); null when none did.</summary>
    public Operations.UpgradeOutcome? LastUpgrade { get; init; }
}
