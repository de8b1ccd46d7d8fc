namespace Cluster.Supervisor.Workers;

/// <summary>No service manager is listening.</summary>
internal sealed class NullServiceNotifier : IServiceNotifier
{
    public static readonly NullServiceNotifier Instance = new();

    private NullServiceNotifier()
    {
    }

    public TimeSpan? WatchdogInterval => null;

    public void Ready(string status)
    {
    }

    public void Reloading(string status)
    {
    }

    public void Stopping(string status)
    {
    }

    public void Status(string status)
    {
    }

    public void Watchdog()
    {
    }

    public void MainPid(int pid, string status)
    {
    }
}
