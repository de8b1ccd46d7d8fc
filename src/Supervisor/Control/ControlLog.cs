using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Control;

internal static partial class ControlLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "control socket listening at {Path} (mode 0600; `supervisor status`, `logs`, `top`, `reload`, `scale`, `stop`, `upgrade` talk to it)")]
    public static partial void Listening(ILogger logger, string path);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "control socket: refused a connection from uid {Uid}; only uid {Own} and root may use it")]
    public static partial void Refused(ILogger logger, string uid, uint own);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "control: {Command} requested")]
    public static partial void Command(ILogger logger, string command);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "control socket {Path} was left by a supervisor that is gone; removing it")]
    public static partial void StaleRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "control: dropped a `supervisor logs -f` follower: it fell {Behind} lines behind (it stopped reading); the supervisor does not wait for it")]
    public static partial void FollowerDropped(ILogger logger, int behind);
}
