using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers.Events;

/// <summary>
/// `supervisor reload [APP]`: re-read the config; with an app, replace every worker of that app, one slot at a time;
/// without, apply the new config, each app whose workers' config changed by its own rolling reload (with one app only,
/// that app's workers are replaced in any case, as a reload always did).
/// </summary>
internal sealed record ReloadRequested(TaskCompletionSource<OperationResult> Reply, string? App = null) : ControlEvent;
