using System.Globalization;
using System.Net.Sockets;
using Cluster.Shared.Contract;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// The listening sockets a supervisor was started with, read once at start: from systemd's socket activation
/// (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES, as sd_listen_fds(3) reads them), or from the supervisor it takes over from
/// in an upgrade. Both go through <see cref="Wrap"/>: each descriptor must be a listening TCP socket; it is marked
/// close-on-exec (as sd_listen_fds does), so no worker or later child inherits it unasked.
/// </summary>
internal sealed class InheritedSockets
{
    public static readonly InheritedSockets None = new(SocketOrigin.Bound, [], []);

    private InheritedSockets(SocketOrigin origin, IReadOnlyList<InheritedSocket> sockets, IReadOnlyList<string> problems)
    {
        Origin = origin;
        Sockets = sockets;
        Problems = problems;
    }

    /// <summary>Where the sockets came from; <see cref="SocketOrigin.Bound"/> when there are none.</summary>
    public SocketOrigin Origin { get; }

    public IReadOnlyList<InheritedSocket> Sockets { get; }

    /// <summary>Descriptors that are not listening TCP sockets: the start refuses (exit 2) and names them.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>
    /// LISTEN_FDS descriptors from 3 on, when LISTEN_PID is this process (else they were meant for another one, and a
    /// shell that passed the variables on gave no descriptors). The three variables are taken out of the environment
    /// in any case: they are not for the workers (<see cref="WorkerEnvironment"/>: a shared-socket worker gets its own).
    /// </summary>
    public static InheritedSockets TakeFromSystemd()
    {
        var count = Environment.GetEnvironmentVariable(SocketActivation.ListenFds);
        var pid = Environment.GetEnvironmentVariable(SocketActivation.ListenPid);
        var names = Environment.GetEnvironmentVariable(SocketActivation.ListenFdNames);
        foreach (var name in new[] { SocketActivation.ListenFds, SocketActivation.ListenPid, SocketActivation.ListenFdNames })
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        if (pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
            || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var fds) || fds == 0)
        {
            return None;
        }

        // sd_listen_fds_with_names: names only when there is one per descriptor.
        var split = names?.Split(':');
        var named = split?.Length == fds ? split : null;
        return Wrap(SocketOrigin.Systemd, Enumerable.Range(0, fds).Select(i => (SocketActivation.FirstFd + i, named?[i])));
    }

    /// <summary>The sockets the previous supervisor handed over, at the descriptors it named.</summary>
    public static InheritedSockets FromPredecessor(IEnumerable<(int Descriptor, string? Name)> descriptors) => Wrap(SocketOrigin.Predecessor, descriptors);

    private static InheritedSockets Wrap(SocketOrigin origin, IEnumerable<(int Descriptor, string? Name)> descriptors)
    {
        var sockets = new List<InheritedSocket>();
        var problems = new List<string>();
        foreach (var (fd, name) in descriptors)
        {
            var shown = string.Create(CultureInfo.InvariantCulture, $"fd {fd}{(string.IsNullOrEmpty(name) ? string.Empty : $" ({name})")}");
            if (!Descriptors.IsOpen(fd))
            {
                problems.Add($"{shown} is not open");
                continue;
            }

            Descriptors.SetCloseOnExec(fd);
            Socket socket;
            try
            {
                socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
            }
            catch (SocketException e)
            {
                problems.Add($"{shown} is not a socket ({e.Message})");
                continue;
            }

            if (socket.SocketType != SocketType.Stream || !AddressMatch.IsInternet(socket.AddressFamily) || !IsListening(socket))
            {
                problems.Add($"{shown} is not a listening TCP socket (it is a {socket.AddressFamily} {socket.SocketType} socket{(IsListening(socket) ? string.Empty : ", not listening")}): only ListenStream= sockets with an IP address and port can serve a listen entry");
                socket.Dispose();
                continue;
            }

            sockets.Add(new InheritedSocket(fd, name, socket));
        }

        return new InheritedSockets(origin, sockets, problems);
    }

    private static bool IsListening(Socket socket)
    {
        try
        {
            return socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection) is int listening && listening != 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
