namespace Cluster.Supervisor.Workers.Events;

/// <summary>The new supervisor's workers are all ready and it accepts on the sockets: it asks to take over.</summary>
internal sealed record SuccessorReady(ISuccessor Successor, string Version) : ControlEvent;
