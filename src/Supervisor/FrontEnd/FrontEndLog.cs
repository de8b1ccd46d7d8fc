using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.FrontEnd;

internal static partial class FrontEndLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "front end listening on {Listen}")]
    public static partial void Listening(ILogger logger, string listen);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "proxy error {Status} for {Method} {Path} to worker {WorkerId} ({Destination}): {Error}: {Reason}")]
    public static partial void ForwardingFailed(ILogger logger, int status, string method, string path, string workerId, string destination, string error, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "no ready worker for {Method} {Path}: answered 503")]
    public static partial void NoReadyWorker(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "front end stopped; in-flight requests finished after {Elapsed}")]
    public static partial void Stopped(ILogger logger, string elapsed);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "front end stopped; requests still in flight after the shutdown timeout ({ShutdownTimeout}) were aborted")]
    public static partial void DrainTimedOut(ILogger logger, string shutdownTimeout);
}
