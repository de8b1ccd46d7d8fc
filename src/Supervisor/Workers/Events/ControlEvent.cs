namespace Cluster.Supervisor.Workers.Events;

/// <summary>
/// Something the control loop must react to. Signal handlers, process exits, timers and readiness checks only post
/// events; the loop alone reads them and changes the worker table (gunicorn's arbiter works the same way).
/// </summary>
internal abstract record ControlEvent;
