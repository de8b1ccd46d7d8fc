namespace Cluster.Supervisor.Workers.Events;

/// <summary>The front end has stopped accepting connections and its in-flight requests have finished (or timed out).</summary>
internal sealed record FrontEndStopped : ControlEvent;
