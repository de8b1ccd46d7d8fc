using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers.Events;

/// <summary>`supervisor scale [APP] N`; the reply comes once the new workers are ready or the removed ones have exited.</summary>
internal sealed record ScaleRequested(ScaleTarget Target, TaskCompletionSource<OperationResult> Reply, string? App = null) : ControlEvent;
