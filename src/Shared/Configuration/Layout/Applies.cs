namespace Cluster.Shared.Configuration.Layout;

/// <summary>How a changed value reaches a running supervisor on reload (SIGHUP, `supervisor reload`).</summary>
public enum Applies
{
    /// <summary>At once, without replacing a worker.</summary>
    Live,

    /// <summary>By a rolling reload: every worker is replaced by one started with the new value.</summary>
    RollingReload,

    /// <summary>Only when the supervisor is restarted; until then the running value stays (and a warning says so).</summary>
    Restart,
}
