using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers.Events;

/// <summary>`supervisor upgrade` (with a reply) or SIGUSR2 (without): start a new supervisor that takes over from this one.</summary>
internal sealed record UpgradeRequested(string Origin, TaskCompletionSource<OperationResult>? Reply) : ControlEvent;
