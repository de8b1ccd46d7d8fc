namespace Cluster.Contract;

/// <summary>
/// The environment of systemd's socket activation (sd_listen_fds(3)) and readiness protocol (sd_notify(3)), which the
/// supervisor speaks to its workers in shared-socket mode and with readiness.notify: servers that support systemd
/// (gunicorn, Kestrel's UseSystemd(), go-systemd) then need no change.
/// </summary>
public static class SocketActivation
{
    /// <summary>The first inherited socket's descriptor, fixed by the protocol (SD_LISTEN_FDS_START).</summary>
    public const int FirstFd = 3;

    /// <summary>How many sockets were passed, from descriptor 3 on.</summary>
    public const string ListenFds = "LISTEN_FDS";

    /// <summary>The PID the sockets are meant for: a process that finds another PID here ignores them.</summary>
    public const string ListenPid = "LISTEN_PID";

    /// <summary>A name per socket, colon-separated.</summary>
    public const string ListenFdNames = "LISTEN_FDNAMES";

    /// <summary>The name of the public listening socket in <see cref="ListenFdNames"/>.</summary>
    public const string PublicSocketName = "http";

    /// <summary>The datagram socket a worker sends READY=1, WATCHDOG=1 and STATUS= lines to.</summary>
    public const string NotifySocket = "NOTIFY_SOCKET";
}
