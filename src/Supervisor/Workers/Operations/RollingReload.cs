namespace Cluster.Supervisor.Workers.Operations;

/// <summary>A rolling reload in progress: the slots still to replace, and the new worker being waited for.</summary>
internal sealed class RollingReload(IEnumerable<int> slots, TaskCompletionSource<OperationResult>? reply, string origin)
{
    public Queue<int> Slots { get; } = new(slots);

    public int Total { get; } = slots.Count();

    /// <summary>The new worker of the slot being replaced; the reload moves on when it is ready.</summary>
    public Worker? Current { get; set; }

    public List<string> Replaced { get; } = [];

    public TaskCompletionSource<OperationResult>? Reply { get; } = reply;

    public string Origin { get; } = origin;
}
