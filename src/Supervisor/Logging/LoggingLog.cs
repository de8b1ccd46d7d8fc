using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Logging;

internal static partial class LoggingLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "logging to {LogFile} ({Rolling})")]
    public static partial void WritingTo(ILogger logger, string logFile, string rolling);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "worker output goes to {WorkerFiles}, one file per worker, not to this log ({Rolling})")]
    public static partial void WorkerFiles(ILogger logger, string workerFiles, string rolling);
}
