namespace Cluster.Supervisor.Workers;

internal enum SupervisorPhase
{
    /// <summary>Serving; exited workers are restarted.</summary>
    Running,

    /// <summary>Asked to stop: the front end is draining in-flight requests; workers keep serving them.</summary>
    Draining,

    /// <summary>
    /// The front end has drained (it relays only the upgraded connections left, until their workers close them);
    /// workers are being stopped. The loop ends when none is left.
    /// </summary>
    StoppingWorkers,
}
