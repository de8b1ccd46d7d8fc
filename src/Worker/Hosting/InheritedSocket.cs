using System.Globalization;
using Cluster.Contract;

namespace Cluster.Worker.Hosting;

/// <summary>
/// Socket activation (sd_listen_fds(3)): a supervisor in shared-socket mode, or systemd, hands the worker a listening
/// socket as file descriptor 3 with LISTEN_FDS=1 and LISTEN_PID naming this process. Kestrel's UseSystemd() accepts
/// on it. The descriptor is left as inherited, without FD_CLOEXEC: .NET shuts a socket down for every process sharing
/// it when it closes a socket that has FD_CLOEXEC set, which would stop all the other workers accepting.
/// </summary>
internal static class InheritedSocket
{
    /// <summary>How many sockets were handed to this process (0 when none, or when they were meant for another one).</summary>
    public static int Count(Func<string, string?> environment, int ownPid) =>
        environment(SocketActivation.ListenPid) == ownPid.ToString(CultureInfo.InvariantCulture)
        && int.TryParse(environment(SocketActivation.ListenFds), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : 0;
}
