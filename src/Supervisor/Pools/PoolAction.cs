namespace Cluster.Supervisor.Pools;

/// <summary>What a check decided for one app.</summary>
internal enum PoolAction
{
    /// <summary>Start <see cref="PoolDecision.Count"/> workers.</summary>
    Start,

    /// <summary>Retire (drain, then stop, as a scale-down does) the worker <see cref="PoolDecision.WorkerId"/>.</summary>
    Retire,

    /// <summary>The app needs workers that the machine-wide cap does not allow now, and no other app has one to give.</summary>
    Held,
}
