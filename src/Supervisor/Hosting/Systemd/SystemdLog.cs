using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Hosting.Systemd;

internal static partial class SystemdLog
{
    [LoggerMessage(EventId = 660, Level = LogLevel.Information, Message = "systemd: notifying {Socket} (READY, RELOADING, STOPPING, STATUS); {Watchdog}")]
    public static partial void Notifying(ILogger logger, string socket, string watchdog);

    [LoggerMessage(EventId = 661, Level = LogLevel.Warning, Message = "systemd: cannot send \"{Message}\" to {Socket}: {Error} (further failures are not logged until a notification gets through)")]
    public static partial void SendFailed(ILogger logger, string message, string socket, string error);

    [LoggerMessage(EventId = 662, Level = LogLevel.Information, Message = "systemd: notifications to {Socket} get through again")]
    public static partial void SendRecovered(ILogger logger, string socket);

    [LoggerMessage(EventId = 663, Level = LogLevel.Debug, Message = "systemd: sent {Message}")]
    public static partial void Sent(ILogger logger, string message);

    [LoggerMessage(EventId = 664, Level = LogLevel.Warning, Message = "systemd: ignoring {Problem}")]
    public static partial void EnvironmentProblem(ILogger logger, string problem);
}
