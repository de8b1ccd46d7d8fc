using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>Every log event of the worker lifecycle, in one place; the README lists them for operators.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 100, Message = "worker {WorkerId} [pid {Pid}] {FromState} -> {ToState}: {Reason}")]
    public static partial void Transition(ILogger logger, LogLevel level, int workerId, object pid, WorkerState fromState, WorkerState toState, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "worker {WorkerId} [pid {Pid}] {Stream}| {Line}")]
    public static partial void Output(ILogger logger, int workerId, int pid, string stream, string line);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "worker {WorkerId} [pid {Pid}] did not exit within {StopTimeout} of {StopSignal}; sending SIGKILL")]
    public static partial void Murdering(ILogger logger, int workerId, int? pid, string stopTimeout, string stopSignal);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "worker {WorkerId} [pid {Pid}] is still running {KillWait} after SIGKILL (stuck in the kernel?); giving up on it")]
    public static partial void Abandoned(ILogger logger, int workerId, int? pid, string killWait);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "worker {WorkerId} [pid {Pid}] health check failed ({Failures} in a row): {Detail}")]
    public static partial void HealthCheckFailed(ILogger logger, int workerId, int? pid, int failures, string detail);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "worker {WorkerId} [pid {Pid}] recycling: {Reason}; starting its replacement first")]
    public static partial void Recycling(ILogger logger, int workerId, int? pid, string reason);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "worker {WorkerId} [pid {Pid}] recovered: up for {ResetAfter}, the crash loop is over")]
    public static partial void Recovered(ILogger logger, int workerId, int? pid, string resetAfter);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "worker {WorkerId} [pid {Pid}] had left processes behind in its process group; killed them")]
    public static partial void LeftoversKilled(ILogger logger, int workerId, int? pid);

    [LoggerMessage(EventId = 116, Level = LogLevel.Information, Message = "worker {WorkerId} [pid {Pid}] declared a watchdog: WATCHDOG=1 at least every {Timeout}; a missed ping counts as a failed health check")]
    public static partial void WatchdogDeclared(ILogger logger, int workerId, int? pid, string timeout);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "worker {WorkerId} [pid {Pid}] still busy after worker.drainTimeout ({DrainTimeout}); parked anyway")]
    public static partial void ParkedBusy(ILogger logger, int workerId, int? pid, string drainTimeout);

    [LoggerMessage(EventId = 118, Level = LogLevel.Information, Message = "worker {WorkerId} [pid {Pid}] not parked yet: {Why}; SIGCONT, it runs on until it holds no client connection")]
    public static partial void ParkDeferred(ILogger logger, int workerId, int? pid, string why);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "supervisor pid {Pid} starting {Count} worker(s): {Command}")]
    public static partial void Starting(ILogger logger, int pid, string count, string command);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "received {Signal}: stopping; in-flight requests have up to {ShutdownTimeout} to finish")]
    public static partial void StopRequested(ILogger logger, string signal, string shutdownTimeout);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "received {Signal} while stopping: stopping at once (SIGKILL to every worker)")]
    public static partial void StopNow(ILogger logger, string signal);

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "received {Signal}: already stopping; send SIGINT again to stop at once")]
    public static partial void AlreadyStopping(ILogger logger, string signal);

    [LoggerMessage(EventId = 124, Level = LogLevel.Information, Message = "front end stopped; stopping {Count} worker(s)")]
    public static partial void StoppingWorkers(ILogger logger, int count);

    [LoggerMessage(EventId = 199, Level = LogLevel.Debug, Message = "ignored stale event {Event}")]
    public static partial void StaleEvent(ILogger logger, string @event);
}
