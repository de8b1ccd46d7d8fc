using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "config reload ({Origin}) rejected; generation {Generation} stays in force: {Errors}")]
    public static partial void ConfigRejected(ILogger logger, string origin, int generation, string errors);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "configuration generation {Generation} applied ({Origin}): {Changes}")]
    public static partial void ConfigApplied(ILogger logger, int generation, string origin, string changes);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "config change not applied: {Change} takes effect only when the supervisor is restarted or upgraded (supervisor upgrade: no downtime)")]
    public static partial void NeedsRestart(ILogger logger, string change);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "{Signal} ignored: {Reason}")]
    public static partial void SignalIgnored(ILogger logger, string signal, string reason);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "scaling from {From} to {To} worker(s) ({Origin})")]
    public static partial void Scaling(ILogger logger, int from, int to, string origin);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "rolling {Operation} ({Origin}): replacing {Count} worker(s), one at a time, each new one ready before its predecessor leaves")]
    public static partial void ReloadStarted(ILogger logger, string operation, string origin, int count);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "rolling {Operation} done: {Count} worker(s) replaced: {Replaced}")]
    public static partial void ReloadFinished(ILogger logger, string operation, int count, string replaced);

    [LoggerMessage(EventId = 307, Level = LogLevel.Error, Message = "{Reason}")]
    public static partial void ReloadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "rolling {Operation}: all {Count} new worker(s) of generation {Generation} ready; confirming for {ConfirmAfter} (reload.confirmAfter) before the parked old workers ({Parked}) are stopped")]
    public static partial void ReloadConfirming(ILogger logger, string operation, int count, int generation, string confirmAfter, string parked);

    [LoggerMessage(EventId = 309, Level = LogLevel.Error, Message = "{Reason}; {Serving}")]
    public static partial void ReloadRolledBack(ILogger logger, string reason, string serving);

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "rolling back to generation {Previous}'s config (kept in memory) from generation {Current}")]
    public static partial void RollingBack(ILogger logger, int previous, int current);

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "app {App} added ({Origin}): starting {Count} worker(s); it serves {Routes}")]
    public static partial void AppAdded(ILogger logger, string app, string origin, int count, string routes);

    [LoggerMessage(EventId = 312, Level = LogLevel.Information, Message = "app {App} removed from the config ({Origin}): out of the routes; its {Count} worker(s) drain and stop")]
    public static partial void AppLeaving(ILogger logger, string app, string origin, int count);

    [LoggerMessage(EventId = 313, Level = LogLevel.Information, Message = "app {App} removed: its last worker has exited")]
    public static partial void AppRemoved(ILogger logger, string app);
}
