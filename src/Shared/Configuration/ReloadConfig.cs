namespace Cluster.Shared.Configuration;

/// <summary>
/// How a rolling reload (supervisor reload, SIGHUP, supervisor rollback) is confirmed: the new generation must stay
/// ready for <see cref="ConfirmAfter"/> without a worker exiting or failing its checks, or the reload is rolled back.
/// </summary>
public sealed record ReloadConfig
{
    /// <summary>Zero: no confirmation window, the old workers are stopped as soon as they are replaced (no rollback).</summary>
    public TimeSpan ConfirmAfter { get; init; }

    /// <summary>
    /// Keep each replaced worker alive, parked without traffic, until the reload is committed, so that a rollback
    /// brings back the very processes that ran before; without, a rollback starts the previous config anew.
    /// </summary>
    public bool KeepOldWorkers { get; init; }

    public bool Confirms => ConfirmAfter > TimeSpan.Zero;
}
