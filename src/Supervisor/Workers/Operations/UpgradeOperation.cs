namespace Cluster.Supervisor.Workers.Operations;

/// <summary>
/// An upgrade in progress, on the supervisor being replaced: the new supervisor process, from its start until it has
/// taken over (or failed to, and has been stopped).
/// </summary>
internal sealed class UpgradeOperation(string origin, TaskCompletionSource<OperationResult>? reply, ISuccessor successor)
{
    public string Origin { get; } = origin;

    public TaskCompletionSource<OperationResult>? Reply { get; } = reply;

    public ISuccessor Successor { get; } = successor;

    /// <summary>Fires <see cref="Events.UpgradeTimedOut"/> unless the new supervisor has taken over by then.</summary>
    public ITimer? Deadline { get; set; }

    /// <summary>The new supervisor's version, once it has said it is ready.</summary>
    public string? Version { get; set; }

    /// <summary>The pid file and systemd's MAINPID were handed to the new supervisor; taken back if it fails now.</summary>
    public bool Granted { get; set; }

    /// <summary>Why it failed, while the new supervisor is being stopped; null while it may still take over.</summary>
    public string? Failure { get; set; }
}
