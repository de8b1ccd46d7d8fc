using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers.Events;

/// <summary>
/// `supervisor restart APP [ID]`: replace the app's workers (or one slot's) with new processes of the same config,
/// one slot at a time, each new one ready before its predecessor drains: PM2's restart, never a hard kill.
/// </summary>
internal sealed record RestartRequested(string? App, int? WorkerId, TaskCompletionSource<OperationResult> Reply) : ControlEvent;
