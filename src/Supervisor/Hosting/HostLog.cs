using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Hosting;

internal static partial class HostLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "cannot listen on {Listen}: {Error}")]
    public static partial void CannotListen(ILogger logger, string listen, string error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "the control loop failed; killed {Killed} worker(s) with SIGKILL")]
    public static partial void LoopFailed(ILogger logger, int killed, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "supervisor stopped")]
    public static partial void Stopped(ILogger logger);
}
