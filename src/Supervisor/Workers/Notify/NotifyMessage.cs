using System.Globalization;

namespace Cluster.Supervisor.Workers.Notify;

/// <summary>
/// One datagram a worker sent to its NOTIFY_SOCKET: newline-separated KEY=VALUE assignments, as sd_notify(3) defines
/// them. The supervisor acts on READY=1, WATCHDOG=1, WATCHDOG=trigger, WATCHDOG_USEC= and STATUS=; it records
/// STOPPING=1 and RELOADING=1 and ignores the rest (MAINPID=, ERRNO=, ...), as systemd ignores what it does not know.
/// </summary>
internal sealed record NotifyMessage
{
    public bool Ready { get; init; }

    public bool Stopping { get; init; }

    public bool Reloading { get; init; }

    /// <summary>WATCHDOG=1: the worker is alive.</summary>
    public bool WatchdogPing { get; init; }

    /// <summary>WATCHDOG=trigger: the worker asks to be treated as hung (restarted) now.</summary>
    public bool WatchdogTrigger { get; init; }

    /// <summary>WATCHDOG_USEC=N: the worker promises a ping at least this often.</summary>
    public TimeSpan? WatchdogTimeout { get; init; }

    /// <summary>STATUS=: a line for people, shown by `supervisor status`.</summary>
    public string? Status { get; init; }

    public static NotifyMessage Parse(string datagram)
    {
        var message = new NotifyMessage();
        foreach (var line in datagram.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..];
            message = line[..equals] switch
            {
                "READY" when value == "1" => message with { Ready = true },
                "STOPPING" when value == "1" => message with { Stopping = true },
                "RELOADING" when value == "1" => message with { Reloading = true },
                "WATCHDOG" when value == "1" => message with { WatchdogPing = true },
                "WATCHDOG" when value == "trigger" => message with { WatchdogTrigger = true },
                "WATCHDOG_USEC" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
                    => message with { WatchdogTimeout = TimeSpan.FromMicroseconds(usec) },
                "STATUS" => message with { Status = value },
                _ => message,
            };
        }

        return message;
    }
}
