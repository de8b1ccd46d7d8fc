using System.Net.Sockets;
using System.Text;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Hosting.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: newline-separated KEY=VALUE datagrams sent to NOTIFY_SOCKET (a path, or '@' for
/// the abstract namespace). systemd learns the sender's PID from the kernel, which NotifyAccess=main checks. Silent when
/// NOTIFY_SOCKET is unset. A notification systemd does not take within <see cref="SendTimeout"/> (its queue is full) is
/// dropped and logged rather than holding up the control loop any longer.
/// </summary>
internal sealed class SystemdNotifier : IServiceNotifier, IDisposable
{
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(1);

    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;
    private readonly string _address = string.Empty;
    private readonly ILogger _logger;
    private bool _failing;

    // Another process is the service's main process (MAINPID= sent for it): systemd would refuse, or worse believe,
    // anything this one says.
    private bool _handedOver;

    public SystemdNotifier(SystemdEnvironment environment, ILogger logger)
    {
        _logger = logger;
        foreach (var problem in environment.Problems)
        {
            SystemdLog.EnvironmentProblem(logger, problem);
        }

        if (environment.NotifySocket is not { } address)
        {
            return;
        }

        _address = address;
        _target = new UnixDomainSocketEndPoint(address[0] == '@' ? string.Concat("\0", address.AsSpan(1)) : address);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { SendTimeout = (int)SendTimeout.TotalMilliseconds };
        WatchdogInterval = environment.WatchdogTimeout;
        SystemdLog.Notifying(logger, address, WatchdogInterval is { } timeout
            ? $"watchdog: WATCHDOG=1 every {HumanDuration.Format(timeout / 2)} (WatchdogSec={HumanDuration.Format(timeout)})"
            : "no watchdog");
    }

    public bool Enabled => _socket is not null;

    public TimeSpan? WatchdogInterval { get; }

    public void Ready(string status) => Send($"READY=1\nSTATUS={OneLine(status)}");

    /// <summary>MONOTONIC_USEC= in the same message: systemd ≥ 253 requires it for Type=notify-reload.</summary>
    public void Reloading(string status) => Send($"RELOADING=1\nMONOTONIC_USEC={MonotonicClock.Microseconds()}\nSTATUS={OneLine(status)}");

    public void Stopping(string status) => Send($"STOPPING=1\nSTATUS={OneLine(status)}");

    public void Status(string status) => Send($"STATUS={OneLine(status)}");

    public void Watchdog() => Send("WATCHDOG=1");

    public void MainPid(int pid, string status)
    {
        _handedOver = false;
        Send($"MAINPID={pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}\nSTATUS={OneLine(status)}");
        _handedOver = pid != Environment.ProcessId;
    }

    public void Dispose() => _socket?.Dispose();

    private static string OneLine(string status) => status.ReplaceLineEndings(" ");

    private void Send(string message)
    {
        if (_socket is null || _handedOver)
        {
            return;
        }

        var shown = message.Replace('\n', ' ');
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), SocketFlags.None, _target!);
        }
        catch (SocketException e)
        {
            if (!_failing)
            {
                _failing = true;
                SystemdLog.SendFailed(_logger, shown, _address, e.Message);
            }

            return;
        }

        if (_failing)
        {
            _failing = false;
            SystemdLog.SendRecovered(_logger, _address);
        }

        SystemdLog.Sent(_logger, shown);
    }
}
