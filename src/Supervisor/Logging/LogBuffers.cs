using Serilog;
using Serilog.Configuration;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// The bounded queues between the threads that log (requests, the control loop, worker output) and the ones that
/// write: each destination (console, log file, worker files) gets its own Serilog.Sinks.Async background writer, so no
/// logging thread waits for a terminal, journald or a disk, and one slow destination does not hold up the others.
/// A full queue drops the event instead of waiting: waiting would carry a stalled console or disk into the request
/// path and the control loop, and keeping on serving matters more than a log line. Drops are counted per destination,
/// reported by <see cref="ReportDrops"/> in one warning and exported as cluster_log_dropped_events_total. Disposing the
/// logger writes out everything still queued.
/// </summary>
internal sealed class LogBuffers(int capacity = LogBuffers.DefaultCapacity)
{
    /// <summary>Events each destination may hold while it is behind (Serilog.Sinks.Async's default).</summary>
    public const int DefaultCapacity = 10_000;

    private readonly List<LogDestination> _destinations = [];

    public IReadOnlyList<LogDestination> Destinations
    {
        get
        {
            lock (_destinations)
            {
                return [.. _destinations];
            }
        }
    }

    /// <summary>Puts what <paramref name="configure"/> adds behind a queue of its own; failures to write go to <paramref name="reportFailure"/>.</summary>
    public LogDestination Add(LoggerSinkConfiguration writeTo, string label, string name, Action<LoggerSinkConfiguration> configure, Action<string> reportFailure)
    {
        var destination = new LogDestination(label, name, reportFailure);
        lock (_destinations)
        {
            _destinations.Add(destination);
        }

        writeTo.Fallible(queued => queued.Async(configure, capacity, blockWhenFull: false, monitor: destination), destination);
        return destination;
    }

    /// <summary>One warning per destination that dropped events since the last report.</summary>
    public void ReportDrops(Microsoft.Extensions.Logging.ILogger logger)
    {
        foreach (var destination in Destinations)
        {
            if (destination.TakeUnreported() is var dropped and > 0)
            {
                LoggingLog.EventsDropped(logger, dropped, destination.Name, destination.Capacity, destination.Dropped);
            }
        }
    }
}
