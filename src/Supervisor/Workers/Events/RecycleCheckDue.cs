namespace Cluster.Supervisor.Workers.Events;

/// <summary>Time to check workers against the recycle limits (memory, requests).</summary>
internal sealed record RecycleCheckDue : ControlEvent;
