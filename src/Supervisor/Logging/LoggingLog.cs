using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Logging;

internal static partial class LoggingLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "logging to {LogFile} ({Rolling})")]
    public static partial void WritingTo(ILogger logger, string logFile, string rolling);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "worker output goes to {WorkerFiles}, one file per worker, not to this log ({Rolling})")]
    public static partial void WorkerFiles(ILogger logger, string workerFiles, string rolling);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "{Dropped} log event(s) dropped: the {Destination} did not keep up and its queue of {Capacity} events was full ({TotalDropped} dropped since start)")]
    public static partial void EventsDropped(ILogger logger, long dropped, string destination, int capacity, long totalDropped);
}
