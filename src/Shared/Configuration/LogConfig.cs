namespace Cluster.Shared.Configuration;

public sealed record LogConfig
{
    public LogLevelSetting Level { get; init; }

    /// <summary>The log file and how log files roll; its path is null when the supervisor logs to the console only.</summary>
    public LogFileConfig File { get; init; } = new();

    /// <summary>
    /// Absolute path pattern with "{id}" in its file name: each worker's output goes to its own file instead of the
    /// supervisor's log. Null: worker output goes to the supervisor's log, tagged with the worker's id and PID.
    /// </summary>
    public string? WorkerFiles { get; init; }

    /// <summary>Log lines the supervisor keeps in memory for `supervisor logs` (0: none, only followers get lines).</summary>
    public int MemoryLines { get; init; }
}
