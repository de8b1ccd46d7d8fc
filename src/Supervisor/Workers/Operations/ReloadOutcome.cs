namespace Cluster.Supervisor.Workers.Operations;

/// <summary>How the last rolling reload ended, for `status` and the metrics.</summary>
internal sealed record ReloadOutcome(ReloadResult Result, string Origin, int Generation, string Detail, DateTimeOffset At)
{
    /// <summary>The app it reloaded.</summary>
    public string App { get; init; } = Cluster.Shared.Configuration.AppConfig.DefaultName;
}

internal enum ReloadResult
{
    /// <summary>Every slot replaced and the new generation confirmed: the old workers were stopped.</summary>
    Committed,

    /// <summary>A new worker failed during the reload or its confirmation window: the previous generation serves again.</summary>
    RolledBack,

    /// <summary>Not started: the config was invalid, or another operation was in progress.</summary>
    Refused,

    /// <summary>Without a confirmation window (reload.confirmAfter 0s): a new worker failed, the reload stopped part-way.</summary>
    Failed,
}
