using Cluster.Contract;

namespace Cluster.Supervisor.Hosting.Systemd;

/// <summary>
/// LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES that the supervisor itself was given (by systemd's socket activation, or a
/// shell that had them) are not for its workers: they are taken out of its environment at start, as sd_listen_fds(1)
/// does, so that a proxy-mode worker never sees them. In shared-socket mode each worker gets its own set
/// (WorkerStartInfo, and LISTEN_PID from the exec shim); a worker.env that sets them still does.
/// </summary>
internal static class InheritedSocketActivation
{
    public static void Discard()
    {
        foreach (var name in new[] { SocketActivation.ListenFds, SocketActivation.ListenPid, SocketActivation.ListenFdNames })
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
