namespace Cluster.Supervisor.Workers.Events;

/// <summary>Time to size the pools of the apps whose "workers" is a range (once a second; docs/pools.md).</summary>
internal sealed record PoolCheckDue : ControlEvent;
