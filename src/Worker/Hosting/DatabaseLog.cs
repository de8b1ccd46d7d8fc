namespace Cluster.Worker.Hosting;

internal static partial class DatabaseLog
{
    [LoggerMessage(EventId = 2011, Level = LogLevel.Critical, Message = "worker {WorkerId} cannot use the users database {Path}")]
    public static partial void DatabaseUnusable(this ILogger logger, Exception exception, int workerId, string path);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "could not switch {Path} to WAL mode (journal mode is {Mode}); workers will block each other more")]
    public static partial void NotWal(this ILogger logger, string path, string mode);
}
