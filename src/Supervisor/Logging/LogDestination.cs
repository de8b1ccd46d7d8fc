using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.Async;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// One destination behind its own background writer (<see cref="LogBuffers"/>): how many events its full queue dropped,
/// and whether writing to it has failed. Serilog.Sinks.Async hands it the queue's inspector and its failures.
/// </summary>
internal sealed class LogDestination(string label, string name, Action<string> reportFailure) : IAsyncLogEventSinkMonitor, ILoggingFailureListener
{
    private volatile IAsyncLogEventSinkInspector? _queue;
    private volatile bool _failed;
    private long _reported;

    /// <summary>The metric's label: "console", "file", "workerFiles".</summary>
    public string Label { get; } = label;

    /// <summary>What the warning and the errors call it: "console", "log file", "worker files".</summary>
    public string Name { get; } = name;

    public long Dropped => _queue?.DroppedMessagesCount ?? 0;

    /// <summary>Events waiting to be written now.</summary>
    public int Queued => _queue?.Count ?? 0;

    public int Capacity => _queue?.BufferSize ?? 0;

    /// <summary>Writing has failed for good at least once (the file could not be opened, say); the reason went to stderr.</summary>
    public bool Failed => _failed;

    /// <summary>Drops since the last call: what the next warning reports.</summary>
    public long TakeUnreported()
    {
        var dropped = Dropped;
        return dropped - Interlocked.Exchange(ref _reported, dropped);
    }

    public void StartMonitoring(IAsyncLogEventSinkInspector inspector) => _queue = inspector;

    // The inspector stays readable after the queue is disposed: the last counts are still reported.
    public void StopMonitoring(IAsyncLogEventSinkInspector inspector)
    {
    }

    public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
    {
        // A full queue reports each dropped event here, on the thread that logged it: nothing is written for it then
        // (that thread must not wait for stderr either); drops are counted by the queue and reported in one warning.
        // The same goes for an event logged after the queue was closed at exit.
        if (sender is IAsyncLogEventSinkInspector && exception is null)
        {
            return;
        }

        // A temporary failure (a locked file, the next one in sequence is tried) is reported but does not count as failed.
        if (kind != LoggingFailureKind.Temporary)
        {
            _failed = true;
        }

        reportFailure($"{Name} error: {(exception is null ? message : exception.GetBaseException().Message)}");
    }
}
