namespace Cluster.Supervisor.Workers.Events;

/// <summary>`supervisor stop`: the same graceful stop as SIGTERM.</summary>
internal sealed record StopRequested(string Source) : ControlEvent;
