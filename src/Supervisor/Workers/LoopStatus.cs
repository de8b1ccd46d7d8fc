using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers;

/// <summary>The control loop's state, copied for `supervisor status`.</summary>
internal sealed record LoopStatus(
    SupervisorPhase Phase,
    int Generation,
    int WorkersWanted,
    SupervisorConfig Config,
    string? Operation,
    IReadOnlyList<WorkerSnapshot> Workers);
