namespace Cluster.Supervisor.Workers.Operations;

/// <summary>A `supervisor scale` waiting for its new workers to be ready, or its removed ones to be gone.</summary>
internal sealed class ScaleOperation(int from, int to, TaskCompletionSource<OperationResult> reply)
{
    public int From { get; } = from;

    public int To { get; } = to;

    public TaskCompletionSource<OperationResult> Reply { get; } = reply;

    /// <summary>Added to the answer: for an app whose workers are a range, that the count is fixed until its next reload.</summary>
    public string Note { get; init; } = string.Empty;

    /// <summary>Scaling down: the slot holders it retired, gone once it is done.</summary>
    public IReadOnlyList<Worker> Leaving { get; init; } = [];

    /// <summary>Scaling up: the ids of the slots it started, all ready once it is done.</summary>
    public IReadOnlyList<int> Joining { get; init; } = [];
}
