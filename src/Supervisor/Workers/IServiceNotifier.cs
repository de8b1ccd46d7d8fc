namespace Cluster.Supervisor.Workers;

/// <summary>
/// What the control loop tells the service manager that started it (systemd's sd_notify). Called only from the loop;
/// an implementation must never throw, nor block it for long.
/// </summary>
internal interface IServiceNotifier
{
    /// <summary>The service manager's watchdog timeout (WATCHDOG_USEC); null when it expects no keep-alive pings.</summary>
    TimeSpan? WatchdogInterval { get; }

    /// <summary>READY=1: start-up, or a reload, is complete.</summary>
    void Ready(string status);

    /// <summary>RELOADING=1: a configuration reload has begun; <see cref="Ready"/> follows when it is over.</summary>
    void Reloading(string status);

    /// <summary>STOPPING=1: the supervisor has begun to stop.</summary>
    void Stopping(string status);

    /// <summary>STATUS=: one human-readable line (shown by `systemctl status`).</summary>
    void Status(string status);

    /// <summary>WATCHDOG=1: the control loop is alive.</summary>
    void Watchdog();

    /// <summary>
    /// MAINPID=: the service's main process is now <paramref name="pid"/> (an upgrade's new supervisor), and from then
    /// on this process tells systemd nothing more, unless <paramref name="pid"/> is its own (an upgrade that failed
    /// after the hand-over began: it is the main process again).
    /// </summary>
    void MainPid(int pid, string status);
}
