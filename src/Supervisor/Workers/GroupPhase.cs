namespace Cluster.Supervisor.Workers;

/// <summary>Where an app's worker group is in its life: serving, or leaving after its app was taken out of the config.</summary>
internal enum GroupPhase
{
    /// <summary>In the config: its slots are kept filled, its workers restarted, reloaded, scaled and recycled.</summary>
    Serving,

    /// <summary>
    /// Its app was removed by a reload: out of the routes at once, its workers drained and stopped, none restarted;
    /// the group is gone once its last worker has exited.
    /// </summary>
    Leaving,
}
