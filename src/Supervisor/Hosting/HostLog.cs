using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Hosting;

internal static partial class HostLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "cannot listen on {Listen}: {Error}")]
    public static partial void CannotListen(ILogger logger, string listen, string error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "the control loop failed; killed {Killed} worker(s) with SIGKILL")]
    public static partial void LoopFailed(ILogger logger, int killed, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Critical, Message = "a supervisor (pid {Pid}) is already running with {ConfigFile} (pid file {PidFile}); stop it first, or give this one another config")]
    public static partial void AlreadyRunning(ILogger logger, int pid, string configFile, string pidFile);

    [LoggerMessage(EventId = 5, Level = LogLevel.Critical, Message = "cannot write the pid file {PidFile}: {Error} (set \"pidFile\" in the config to another path)")]
    public static partial void CannotWritePidFile(ILogger logger, string pidFile, string error);

    [LoggerMessage(EventId = 6, Level = LogLevel.Critical, Message = "a supervisor is already running on the control socket {Socket}; stop it first, or set control.socket to another path")]
    public static partial void SocketInUse(ILogger logger, string socket);

    [LoggerMessage(EventId = 7, Level = LogLevel.Critical, Message = "cannot open the control socket {Socket}: {Error}")]
    public static partial void CannotOpenSocket(ILogger logger, string socket, string error);

    [LoggerMessage(EventId = 8, Level = LogLevel.Critical, Message = "cannot load a TLS certificate: {Problem}")]
    public static partial void CannotLoadCertificate(ILogger logger, string problem);

    [LoggerMessage(EventId = 9, Level = LogLevel.Critical, Message = "not starting: {Problem}")]
    public static partial void UnsafeFolder(ILogger logger, string problem);

    [LoggerMessage(EventId = 13, Level = LogLevel.Critical, Message = "not starting: {Socket} (control.socket) is not a socket (a file or a symbolic link, which the supervisor neither follows nor removes); remove it, or set control.socket to another path")]
    public static partial void NotASocket(ILogger logger, string socket);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "supervisor stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 14, Level = LogLevel.Critical, Message = "not starting: the sockets passed by {Origin} do not match the config: {Mismatches}")]
    public static partial void SocketsMismatch(ILogger logger, string origin, string mismatches);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "listening sockets: {Sockets}; accepting on them once the workers are ready (connections wait in their queues until then)")]
    public static partial void SocketsInherited(ILogger logger, string sockets);
}
