namespace Cluster.Supervisor.Workers;

/// <summary>A copy of one worker's row, safe to read outside the control loop.</summary>
internal sealed record WorkerSnapshot(int Id, WorkerState State, int? Pid, int Port, int Restarts)
{
    /// <summary>The app it belongs to.</summary>
    public string App { get; init; } = Cluster.Shared.Configuration.AppConfig.DefaultName;

    /// <summary>When the current process started; null without one.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public ExitRecord? LastExit { get; init; }

    /// <summary>The user the current process runs as; null without one.</summary>
    public string? User { get; init; }

    /// <summary>Being replaced or scaled away: it will not be restarted.</summary>
    public bool Retiring { get; init; }

    /// <summary>The last STATUS= line the process sent to its notify socket.</summary>
    public string? NotifiedStatus { get; init; }

    /// <summary>Restarts of the slot within the last hour.</summary>
    public int RestartsLastHour { get; init; }

    /// <summary>The slot's last exits, newest first.</summary>
    public IReadOnlyList<ExitRecord> Exits { get; init; } = [];
}
