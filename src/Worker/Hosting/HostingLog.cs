namespace Cluster.Worker.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "PORT is not set; defaulting to {Port}")]
    public static partial void PortDefaulted(this ILogger logger, int port);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "worker {WorkerId} listening on http://127.0.0.1:{Port} (pid {Pid})")]
    public static partial void Listening(this ILogger logger, int workerId, int port, int pid);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "worker {WorkerId} stopping: no new connections, finishing in-flight requests (pid {Pid})")]
    public static partial void Stopping(this ILogger logger, int workerId, int pid);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "worker {WorkerId} stopped (pid {Pid})")]
    public static partial void Stopped(this ILogger logger, int workerId, int pid);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Critical, Message = "worker {WorkerId} cannot listen on http://127.0.0.1:{Port}: {Reason}")]
    public static partial void CannotListen(this ILogger logger, int workerId, int port, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "worker {WorkerId}: its supervisor (pid {SupervisorPid}) is gone; stopping (pid {Pid})")]
    public static partial void SupervisorGone(this ILogger logger, int workerId, int supervisorPid, int pid);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "worker {WorkerId} also accepting on {Count} inherited socket(s) from fd 3 (socket activation, pid {Pid})")]
    public static partial void AcceptingInherited(this ILogger logger, int workerId, int count, int pid);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug, Message = "worker {WorkerId}: its supervisor (pid {SupervisorPid}) is still its parent")]
    public static partial void SupervisorStillThere(this ILogger logger, int workerId, int supervisorPid);
}
