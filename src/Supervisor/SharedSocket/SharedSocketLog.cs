using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.SharedSocket;

internal static partial class SharedSocketLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "listening on {Listen} (frontEnd sharedSocket: workers accept from this socket themselves, as fd 3; backlog {Backlog})")]
    public static partial void Listening(ILogger logger, string listen, int backlog);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "closed the supervisor's listening socket on {Listen}: no worker gets it from now on; the port closes once the workers, stopping next, have closed theirs")]
    public static partial void Closed(ILogger logger, string listen);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "handed the listening socket on {Listen} over to the new supervisor, whose workers accept from it too; this supervisor's workers stop next and finish their own connections")]
    public static partial void HandedOver(ILogger logger, string listen);
}
