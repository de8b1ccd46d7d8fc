namespace Cluster.Supervisor.Workers.Events;

/// <summary>
/// The front end has stopped accepting connections and its in-flight requests have finished (or timed out); the
/// upgraded connections it still relays end when their workers, stopped next, close them.
/// </summary>
internal sealed record FrontEndDrained : ControlEvent;
