namespace Cluster.Supervisor.Workers.Operations;

/// <summary>A `supervisor scale` waiting for its new workers to be ready, or its removed ones to be gone.</summary>
internal sealed class ScaleOperation(int from, int to, TaskCompletionSource<OperationResult> reply)
{
    public int From { get; } = from;

    public int To { get; } = to;

    public TaskCompletionSource<OperationResult> Reply { get; } = reply;
}
