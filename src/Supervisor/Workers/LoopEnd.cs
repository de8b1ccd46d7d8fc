namespace Cluster.Supervisor.Workers;

/// <summary>How the control loop ended.</summary>
internal enum LoopEnd
{
    /// <summary>Stopped as asked (a signal, `supervisor stop`), or after handing over to a new supervisor.</summary>
    Stopped,

    /// <summary>Started to take over from another supervisor, it could not (a worker failed first) and stopped.</summary>
    TakeOverFailed,
}
