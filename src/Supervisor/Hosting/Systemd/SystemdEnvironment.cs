using System.Globalization;

namespace Cluster.Supervisor.Hosting.Systemd;

/// <summary>
/// What systemd tells a Type=notify service through its environment (sd_notify(3), sd_watchdog_enabled(3)): where to
/// send notifications, and whether and how often it expects watchdog pings.
/// </summary>
internal sealed record SystemdEnvironment(string? NotifySocket, TimeSpan? WatchdogTimeout, IReadOnlyList<string> Problems)
{
    public const string NotifySocketVariable = "NOTIFY_SOCKET";
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    public static readonly SystemdEnvironment None = new(null, null, []);

    /// <summary>
    /// Reads the variables, then removes them from this process's environment (sd_notify's unset_environment), so that
    /// no worker inherits them and talks to systemd as if it were the service.
    /// </summary>
    public static SystemdEnvironment TakeFromProcess()
    {
        var found = Read(Environment.GetEnvironmentVariable, Environment.ProcessId);
        foreach (var name in new[] { NotifySocketVariable, WatchdogUsecVariable, WatchdogPidVariable })
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        return found;
    }

    public static SystemdEnvironment Read(Func<string, string?> variable, int ownPid)
    {
        var problems = new List<string>();
        var socket = variable(NotifySocketVariable);
        if (string.IsNullOrEmpty(socket))
        {
            return None;
        }

        // A path, or '@' for a name in the abstract namespace; systemd ≥ 254 may also give "vsock:", which is for VMs.
        if (socket[0] is not ('/' or '@') || socket.Length < 2)
        {
            problems.Add($"{NotifySocketVariable}={socket}: not a socket path or an abstract socket name (@...); notifications are off");
            return new SystemdEnvironment(null, null, problems);
        }

        return new SystemdEnvironment(socket, ReadWatchdog(variable, ownPid, problems), problems);
    }

    /// <summary>As sd_watchdog_enabled: WATCHDOG_USEC, if WATCHDOG_PID is unset or names this process.</summary>
    private static TimeSpan? ReadWatchdog(Func<string, string?> variable, int ownPid, List<string> problems)
    {
        var usec = variable(WatchdogUsecVariable);
        if (string.IsNullOrEmpty(usec))
        {
            return null;
        }

        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            problems.Add($"{WatchdogUsecVariable}={usec}: not a positive number of microseconds; no watchdog pings");
            return null;
        }

        var pid = variable(WatchdogPidVariable);
        if (!string.IsNullOrEmpty(pid) && pid != ownPid.ToString(CultureInfo.InvariantCulture))
        {
            // Meant for another process (we were started by one that is the service itself): not ours to answer.
            return null;
        }

        return TimeSpan.FromMicroseconds(microseconds);
    }
}
