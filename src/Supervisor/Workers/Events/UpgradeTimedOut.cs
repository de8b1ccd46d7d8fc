namespace Cluster.Supervisor.Workers.Events;

/// <summary>The new supervisor did not take over within the upgrade's time limit.</summary>
internal sealed record UpgradeTimedOut(ISuccessor Successor) : ControlEvent;
