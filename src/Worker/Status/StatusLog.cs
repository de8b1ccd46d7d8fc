namespace Cluster.Worker.Status;

internal static partial class StatusLog
{
    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "health check failed: the users database is unavailable")]
    public static partial void HealthCheckFailed(this ILogger logger, Exception exception);
}
