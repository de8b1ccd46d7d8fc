using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers.Events;

/// <summary>`supervisor rollback [APP]`: re-apply the app's previous config as a rolling reload (the app may be omitted when there is one).</summary>
internal sealed record RollbackRequested(TaskCompletionSource<OperationResult> Reply, string? App = null) : ControlEvent;
