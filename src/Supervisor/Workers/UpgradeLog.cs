using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

internal static partial class UpgradeLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "upgrade ({Origin}): started a new supervisor, pid {Pid}, with every listening socket; it starts {Workers} worker(s) of its own (this supervisor's workers are not adopted: they stop once it has taken over) and takes over when all are ready (limit {Limit})")]
    public static partial void Started(ILogger logger, string origin, int pid, int workers, string limit);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "upgrade: the new supervisor (pid {Pid}, version {Version}) has its workers ready and accepts; handing over the pid file (and, under systemd, MAINPID)")]
    public static partial void Granted(ILogger logger, int pid, string version);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "upgrade ({Origin}) done: supervisor pid {Pid} (version {Version}) has taken over; this one (pid {Own}) stops accepting, finishes its in-flight requests (up to {ShutdownTimeout}) and stops its workers")]
    public static partial void HandedOver(ILogger logger, string origin, int pid, string version, int own, string shutdownTimeout);

    [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "upgrade ({Origin}) failed: {Reason}; stopping the new supervisor (pid {Pid}) and what it started; this supervisor keeps serving with its workers")]
    public static partial void Failed(ILogger logger, string origin, string reason, int pid);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "upgrade ({Origin}) refused: {Reason}")]
    public static partial void Refused(ILogger logger, string origin, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "new supervisor [pid {Pid}] {Stream}| {Line}")]
    public static partial void SuccessorOutput(ILogger logger, int pid, string stream, string line);

    [LoggerMessage(EventId = 706, Level = LogLevel.Information, Message = "taking over from supervisor pid {Pid} (version {Version}): starting {Workers} worker(s) of its own; accepting once all are ready")]
    public static partial void TakingOver(ILogger logger, int pid, string version, int workers);

    [LoggerMessage(EventId = 707, Level = LogLevel.Information, Message = "took over from supervisor pid {Pid} (version {Version}): this supervisor (version {Own}) owns the control socket and the pid file now (upgrade #{Upgrades}); pid {Pid} drains and stops its own workers")]
    public static partial void TookOver(ILogger logger, int pid, string version, string own, int upgrades);

    [LoggerMessage(EventId = 708, Level = LogLevel.Warning, Message = "the previous supervisor (pid {Pid}) went away before it handed over; taking over alone")]
    public static partial void PredecessorGone(ILogger logger, int pid);

    [LoggerMessage(EventId = 709, Level = LogLevel.Error, Message = "takeover from supervisor pid {Pid} abandoned: {Reason}; it keeps serving, this supervisor stops")]
    public static partial void TakeOverFailed(ILogger logger, int pid, string reason);

    [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "ignoring the upgrade hand-over in the environment: {Reason}")]
    public static partial void HandOverIgnored(ILogger logger, string reason);

    [LoggerMessage(EventId = 711, Level = LogLevel.Information, Message = "closed the socket {Socket} handed over by the previous supervisor: the config no longer listens there")]
    public static partial void SocketUnused(ILogger logger, string socket);
}
