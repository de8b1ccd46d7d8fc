using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers;

/// <summary>The control loop's state, copied for `supervisor status` and the metrics: every app at one instant.</summary>
internal sealed record LoopStatus(
    SupervisorPhase Phase,
    int Generation,
    SupervisorConfig Config,
    IReadOnlyList<AppStatus> Apps)
{
    /// <summary>Every app's workers, app by app.</summary>
    public IReadOnlyList<WorkerSnapshot> Workers => [.. Apps.SelectMany(a => a.Workers)];

    public int WorkersWanted => Apps.Sum(a => a.WorkersWanted);

    /// <summary>The operations in progress, one per busy app; null when none is.</summary>
    public string? Operation => Apps.Where(a => a.Operation is not null).Select(a => Apps.Count == 1 ? a.Operation : $"{a.Name}: {a.Operation}").ToList() is { Count: > 0 } busy ? string.Join("; ", busy) : null;

    /// <summary>How the last reload of any app ended; null before the first.</summary>
    public ReloadOutcome? LastReload => Apps.Select(a => a.LastReload).OfType<ReloadOutcome>().MaxBy(r => r.At);

    /// <summary>Reloads of every app by how they ended, since the supervisor started.</summary>
    public IReadOnlyDictionary<ReloadResult, long> Reloads =>
        Apps.SelectMany(a => a.Reloads).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));

    /// <summary>How the last upgrade this supervisor attempted ended without a hand-over (refused or failed); null when none did.</summary>
    public UpgradeOutcome? LastUpgrade { get; init; }
}
