namespace Cluster.Supervisor.Workers.Events;

/// <summary>Time to check an app's workers against its recycle limits (memory, requests).</summary>
internal sealed record RecycleCheckDue(WorkerGroup Group) : ControlEvent;
