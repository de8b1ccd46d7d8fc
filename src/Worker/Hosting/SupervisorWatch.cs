using System.Globalization;

namespace Cluster.Worker.Hosting;

/// <summary>
/// Defence in depth against orphans: the supervisor arranges for its workers to be killed when it dies, but should
/// that fail (an old kernel, a wrapper in between), the sample worker notices that its parent is no longer the
/// supervisor named in SUPERVISOR_PID and stops by itself.
/// </summary>
internal static class SupervisorWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static ITimer? Start(WorkerSettings settings, IHostApplicationLifetime lifetime, ILogger logger)
    {
        if (settings.SupervisorPid is not int supervisor)
        {
            return null;
        }

        return TimeProvider.System.CreateTimer(
            _ =>
            {
                if (ParentPid() is int parent && parent != supervisor)
                {
                    logger.SupervisorGone(settings.WorkerId, supervisor, Environment.ProcessId);
                    lifetime.StopApplication();
                }
                else
                {
                    logger.SupervisorStillThere(settings.WorkerId, supervisor);
                }
            },
            null,
            Interval,
            Interval);
    }

    private static int? ParentPid()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
