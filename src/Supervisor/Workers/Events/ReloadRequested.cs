using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers.Events;

/// <summary>`supervisor reload`: re-read the config and replace every worker, one slot at a time.</summary>
internal sealed record ReloadRequested(TaskCompletionSource<OperationResult> Reply) : ControlEvent;
