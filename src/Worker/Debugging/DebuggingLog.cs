namespace Cluster.Worker.Debugging;

internal static partial class DebuggingLog
{
    [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "slow request started ({Milliseconds} ms)")]
    public static partial void SlowRequestStarted(this ILogger logger, int milliseconds);
}
