namespace Cluster.Worker.Errors;

internal static partial class ErrorsLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "unhandled exception on {Method} {Path} (traceId {TraceId})")]
    public static partial void Unhandled(this ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "rejected {Method} {Path} with {StatusCode}: {Reason}")]
    public static partial void Rejected(this ILogger logger, string method, string path, int statusCode, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "client went away during {Method} {Path}")]
    public static partial void ClientGone(this ILogger logger, string method, string path);
}
