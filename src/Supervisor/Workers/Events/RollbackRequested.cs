using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers.Events;

/// <summary>`supervisor rollback`: re-apply the previous generation's config as a rolling reload.</summary>
internal sealed record RollbackRequested(TaskCompletionSource<OperationResult> Reply) : ControlEvent;
