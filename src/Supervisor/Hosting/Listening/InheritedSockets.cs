using System.Globalization;
using System.Net.Sockets;
using Cluster.Contract;
using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// The listening sockets a supervisor was started with, read once at start: from systemd's socket activation
/// (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES, as sd_listen_fds(3) reads them), or from the supervisor it takes over from
/// in an upgrade. Both go through <see cref="FromDescriptors"/>: each descriptor must be a listening TCP socket; it is marked
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
        return FromDescriptors(SocketOrigin.Systemd, Enumerable.Range(0, fds).Select(i => (SocketActivation.FirstFd + i, named?[i])));
    }

    /// <summary>The sockets the previous supervisor handed over, at the descriptors it named.</summary>
    public static InheritedSockets FromPredecessor(IEnumerable<(int Descriptor, string? Name)> descriptors) => FromDescriptors(SocketOrigin.Predecessor, descriptors);

    /// <summary>The descriptors, each checked; the two ways in above, and the tests, come through here.</summary>
    internal static InheritedSockets FromDescriptors(SocketOrigin origin, IEnumerable<(int Descriptor, string? Name)> descriptors)
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

            // Looked at through a handle that does not own the descriptor: one that is not what it should be (the
            // variables promised more than was passed, and the runtime has since opened that number itself) is left
            // alone; the start is refused anyway.
            string? problem;
            using (var look = new SafeSocketHandle(fd, ownsHandle: false))
            {
                problem = Problem(look);
            }

            if (problem is not null)
            {
                problems.Add($"{shown} is not a listening TCP socket ({problem}): only sockets with an IP address and port (ListenStream=) can serve a listen address");
                continue;
            }

            Descriptors.SetCloseOnExec(fd);
            var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
            sockets.Add(new InheritedSocket(fd, name, socket));
        }

        return new InheritedSockets(origin, sockets, problems);
    }

    /// <summary>Why the descriptor cannot serve a listen address; null when it is a listening TCP socket.</summary>
    private static string? Problem(SafeSocketHandle handle)
    {
        Socket socket;
        try
        {
            socket = new Socket(handle);
        }
        catch (SocketException e)
        {
            return $"not a socket: {e.Message}";
        }

        // Disposing a socket over a handle it does not own leaves the descriptor open.
        using (socket)
        {
            if (socket.AddressFamily == AddressFamily.Unknown)
            {
                return "not a socket";
            }

            if (socket.SocketType != SocketType.Stream || !AddressMatch.IsInternet(socket.AddressFamily))
            {
                return $"a {socket.AddressFamily} {socket.SocketType} socket";
            }

            try
            {
                return socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection) is int listening && listening != 0 ? null : "not listening";
            }
            catch (SocketException e)
            {
                return $"cannot tell whether it listens: {e.Message}";
            }
        }
    }
}
