namespace Cluster.Supervisor.Workers;

/// <summary>How one of a slot's processes ended, and what the supervisor did about it, for status and reports.</summary>
internal sealed record ExitRecord(string Description, int? ExitCode, string? Signal, DateTimeOffset At)
{
    public int? Pid { get; init; }

    /// <summary>How long the process had run; null when it never started.</summary>
    public TimeSpan? Uptime { get; init; }

    /// <summary>The last lines the process printed before it exited (at most <see cref="Processes.ChildProcess.RecentLines"/>).</summary>
    public IReadOnlyList<string> LastOutput { get; init; } = [];

    /// <summary>What followed the exit; null only while the control loop is still deciding (within one event).</summary>
    public ExitOutcome? Then { get; init; }
}
