namespace Cluster.Worker.Debugging;

internal static partial class DebuggingLog
{
    [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "slow request started ({Milliseconds} ms)")]
    public static partial void SlowRequestStarted(this ILogger logger, int milliseconds);

    [LoggerMessage(EventId = 2902, Level = LogLevel.Information, Message = "held request started (until {File} exists)")]
    public static partial void HeldRequestStarted(this ILogger logger, string file);
}
