namespace Cluster.Supervisor.Workers.Operations;

/// <summary>The answer to a control command (reload, scale, stop).</summary>
internal sealed record OperationResult(bool Ok, string Message)
{
    /// <summary>What went wrong, in detail: config errors, or a failed worker's last lines of output.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>True when the command was refused for a bad config (the CLI exits 2, as `start` would).</summary>
    public bool InvalidConfig { get; init; }

    /// <summary>True when the command named no app (or no worker) the supervisor has (the CLI exits 2 and lists them).</summary>
    public bool UnknownApp { get; init; }

    /// <summary>After an upgrade: the PID of the supervisor now in charge.</summary>
    public int? Pid { get; init; }

    public static OperationResult Success(string message) => new(true, message);

    public static OperationResult Failure(string message, IReadOnlyList<string>? details = null) => new(false, message) { Details = details ?? [] };
}
