namespace Cluster.Worker.Hosting;

/// <summary>Start and stop lines for operators (the framework's own lifetime lines are silenced: they lack the worker id).</summary>
internal static class LifetimeLogging
{
    public static void LogStopEvents(this IHostApplicationLifetime lifetime, ILogger logger, WorkerSettings settings)
    {
        var pid = Environment.ProcessId;
        lifetime.ApplicationStopping.Register(() => logger.Stopping(settings.WorkerId, pid));
        lifetime.ApplicationStopped.Register(() => logger.Stopped(settings.WorkerId, pid));
    }
}
