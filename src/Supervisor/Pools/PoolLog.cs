using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Pools;

/// <summary>What the pool sizer does, each line with its reason (docs/pools.md, "The sizing rules").</summary>
internal static partial class PoolLog
{
    /// <summary>"app shop: 3 -> 4 workers: 0 of 3 idle, 12 queued".</summary>
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "{Reason}")]
    public static partial void Decided(ILogger logger, string reason);

    /// <summary>Logged when what is held back changes, not at every check.</summary>
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "{Reason}")]
    public static partial void Held(ILogger logger, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "app {App}: no start held back by maxWorkers any more")]
    public static partial void NoLongerHeld(ILogger logger, string app);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "app {App}: scaled to a fixed {Count} worker(s) over its range ({Range}) until its next reload, which sizes the pool by load again")]
    public static partial void RangeOverridden(ILogger logger, string app, int count, string range);
}
