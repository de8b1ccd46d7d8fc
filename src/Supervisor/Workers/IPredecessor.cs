namespace Cluster.Supervisor.Workers;

/// <summary>
/// The supervisor this one is taking over from (it started this one for an upgrade): the other end of the hand-over.
/// Ready is said through <see cref="IServingStart"/>; the predecessor's go-ahead arrives as a TakeOverGranted event.
/// </summary>
internal interface IPredecessor
{
    int Pid { get; }

    string Version { get; }

    /// <summary>How many upgrades led to the predecessor (this supervisor is one more).</summary>
    int Upgrades { get; }

    /// <summary>The takeover cannot happen (a new worker failed): the predecessor keeps serving and stops this supervisor.</summary>
    void Fail(string reason);

    /// <summary>The predecessor has released the files: takes the control socket's path and the console, then confirms.</summary>
    void Complete();
}
