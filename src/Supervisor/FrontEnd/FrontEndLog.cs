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

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "front end drained: not accepting, in-flight requests finished after {Elapsed}; {Upgraded} upgraded connection(s) (WebSockets) still relayed, for their workers to close")]
    public static partial void Drained(ILogger logger, string elapsed, long upgraded);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "front end stopped; requests still in flight after the shutdown timeout ({ShutdownTimeout}) were aborted, with every upgraded connection")]
    public static partial void DrainTimedOut(ILogger logger, string shutdownTimeout);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "retrying {Method} {Path} on worker {Other}: worker {WorkerId} failed before answering ({Error})")]
    public static partial void Retrying(ILogger logger, string method, string path, string workerId, string other, string error);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "{Method} {Path} {Status} {ElapsedMs}ms worker {WorkerId} {Client}")]
    public static partial void Access(ILogger logger, string method, string path, int status, double elapsedMs, string workerId, string client);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "stopping: the load-balancer health endpoint now answers 503; still serving for {DrainDelay} so balancers move away first")]
    public static partial void DrainNotice(ILogger logger, string drainDelay);

    [LoggerMessage(EventId = 209, Level = LogLevel.Information, Message = "front end stopped")]
    public static partial void Closed(ILogger logger);

    [LoggerMessage(EventId = 208, Level = LogLevel.Debug, Message = "rate limited {Method} {Path} from {Client}: 429")]
    public static partial void RateLimited(ILogger logger, string method, string path, string client);

    [LoggerMessage(EventId = 210, Level = LogLevel.Debug, Message = "queue of app {App} full ({MaxLength} requests waiting, queue.maxLength): {Method} {Path} answered 503")]
    public static partial void QueueFull(ILogger logger, string method, string path, string app, int maxLength);

    [LoggerMessage(EventId = 211, Level = LogLevel.Debug, Message = "no worker of app {App} came free within {Waited} (queue.timeout): {Method} {Path} answered 504")]
    public static partial void QueueTimedOut(ILogger logger, string method, string path, string app, string waited);
}
