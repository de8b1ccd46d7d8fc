using System.Net.Sockets;
using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// Every TCP socket the supervisor listens on (the public listeners, loadBalancerHealth.listen, metrics.listen), held
/// here for the supervisor's whole life: inherited ones (systemd's socket activation, an upgrade) matched to the
/// config's addresses, the rest bound at start. The servers (Kestrel, the shared-socket workers) only ever get
/// descriptors of these sockets, so the sockets can outlive them: a supervisor hands every one to its successor in an
/// upgrade, and under systemd they outlive a restart. Each has an <see cref="AcceptGate"/>.
/// </summary>
internal sealed class ListenSockets : IDisposable
{
    private readonly List<Held> _held;

    private ListenSockets(SocketOrigin origin, List<Held> held)
    {
        Origin = origin;
        _held = held;
    }

    /// <summary>Where the inherited sockets came from, or <see cref="SocketOrigin.Bound"/> when every one was bound here.</summary>
    public SocketOrigin Origin { get; }

    /// <summary>
    /// The sockets were given to this process, and another holds them too (systemd, or the previous supervisor while it
    /// drains): accepting waits until the workers are ready, since a connection left in the queue meanwhile is served
    /// later (or by the other process) rather than answered 503; and a stop leaves the queue to the next one.
    /// </summary>
    public bool Inherited => Origin != SocketOrigin.Bound;

    /// <summary>
    /// Matches the inherited sockets to the config's addresses and binds the addresses left without one.
    /// Mismatches (a socket no address is for, a public listener systemd passed no socket for, a descriptor that is no
    /// listening TCP socket) are reported, not guessed at: the caller refuses to start (exit 2). Sockets from a
    /// previous supervisor that the new config no longer listens on are closed here, and listed in <c>Unused</c>.
    /// </summary>
    /// <remarks>A listener served by a shared socket (<see cref="ListenEntry.OneSocket"/>) is one socket, which every worker gets as fd 3.</remarks>
    public static ListenSocketsResult Open(SupervisorConfig config, InheritedSockets inherited)
    {
        var entries = ListenEntry.Of(config);
        var mismatches = new List<string>(inherited.Problems);
        var unused = new List<string>();
        var held = new List<Held>();
        foreach (var socket in inherited.Sockets)
        {
            var candidates = socket.Name is { } name && ListenEntry.Keys.Contains(name) ? entries.Where(e => e.Key == name) : entries;
            if (candidates.FirstOrDefault(e => AddressMatch.Matches(e.Address, socket.LocalEndPoint)) is { } entry)
            {
                held.Add(new Held(entry, socket.Socket));
            }
            else if (inherited.Origin == SocketOrigin.Predecessor)
            {
                unused.Add(socket.ToString());
                socket.Socket.Dispose();
            }
            else if (candidates.Count() < entries.Count)
            {
                var named = candidates.ToList();
                mismatches.Add($"{socket} is named for {socket.Name}, {(named.Count == 0 ? "which the config does not set" : $"which is {Describe(named)}")}");
            }
            else
            {
                mismatches.Add($"{socket} matches no address of the config ({Describe(entries)})");
            }
        }

        foreach (var entry in entries.Where(e => e.OneSocket && held.Count(h => h.Entry == e) > 1))
        {
            mismatches.Add($"{entry} got {held.Count(h => h.Entry == entry)} sockets; with a shared socket a listener is exactly one socket (every worker gets it as fd 3)");
        }

        if (inherited.Origin == SocketOrigin.Systemd)
        {
            foreach (var entry in entries.Where(e => e.IsPublic && held.All(h => h.Entry != e)))
            {
                mismatches.Add($"{entry} has no socket among those systemd passed ({string.Join(", ", inherited.Sockets)}): add a ListenStream= for it to the .socket unit, or remove it from listen");
            }
        }

        if (mismatches.Count > 0)
        {
            foreach (var socket in held)
            {
                socket.Socket.Dispose();
            }

            return new ListenSocketsResult(null, mismatches, unused, null);
        }

        foreach (var entry in entries.Where(e => held.All(h => h.Entry != e)))
        {
            try
            {
                held.AddRange(SocketBinder.Bind(entry.Address, entry.OneSocket).Select(s => new Held(entry, s, BoundHere: true)));
            }
            catch (SocketException e)
            {
                foreach (var socket in held)
                {
                    socket.Socket.Dispose();
                }

                return new ListenSocketsResult(null, [], unused, new BindFailure(entry, e.Message));
            }
        }

        return new ListenSocketsResult(new ListenSockets(inherited.Origin, held), [], unused, null);
    }

    /// <summary>The sockets of one address of the config (two for "localhost" with IPv6: both loopbacks).</summary>
    public IReadOnlyList<Socket> For(ListenAddress address) => _held.Where(h => h.Entry.Address == address).Select(h => h.Socket).ToList();

    /// <summary>Every socket with the key of the address it serves, which names it for the successor in an upgrade.</summary>
    public IReadOnlyList<(Socket Socket, string Key)> All => _held.Select(h => (h.Socket, h.Entry.Key)).ToList();

    /// <summary>For messages: each address with where its socket came from.</summary>
    public string Describe() => string.Join(", ", _held.GroupBy(h => h.Entry).Select(g => $"{g.Key.Address.Url} ({(g.All(h => h.BoundHere) ? "bound" : Origin == SocketOrigin.Systemd ? "from systemd" : "from the previous supervisor")})"));

    /// <summary>The gate of the socket whose descriptor Kestrel was given; null for any other endpoint.</summary>
    public AcceptGate? GateOf(ulong descriptor) => _held.FirstOrDefault(h => (ulong)h.Socket.SafeHandle.DangerousGetHandle() == descriptor)?.Gate;

    /// <summary>No server of this process accepts on these sockets any more (their queues stay open).</summary>
    public void StopAccepting(IEnumerable<Socket> sockets)
    {
        foreach (var held in _held.Where(h => sockets.Contains(h.Socket)))
        {
            held.Gate.Close();
        }
    }

    /// <summary>
    /// On a stop: those of the sockets that this process bound, which nobody else holds, stop listening, so that a new
    /// connection is refused at once (not left waiting in the queue until the process exits), as when a server closes
    /// its socket. An inherited one is left listening: systemd holds it too (the next start serves its queue), or may.
    /// </summary>
    public void RefuseNewConnections(IEnumerable<Socket> sockets)
    {
        foreach (var held in _held.Where(h => h.BoundHere && sockets.Contains(h.Socket)))
        {
            try
            {
                // On a listening socket, shutdown(SHUT_RD) ends the listening (the descriptor stays open until Dispose).
                held.Socket.Shutdown(SocketShutdown.Receive);
            }
            catch (SocketException)
            {
                // Not listening any more.
            }
        }
    }

    /// <summary>No server of this process accepts on any of them any more: a successor does.</summary>
    public void StopAcceptingAll() => StopAccepting(_held.Select(h => h.Socket));

    /// <summary>This process's descriptors; a socket another process holds (systemd, a successor) stays open there.</summary>
    public void Dispose()
    {
        foreach (var held in _held)
        {
            held.Socket.Dispose();
            held.Gate.Dispose();
        }
    }

    private static string Describe(IEnumerable<ListenEntry> entries) => string.Join(", ", entries);

    private sealed record Held(ListenEntry Entry, Socket Socket, bool BoundHere = false)
    {
        public AcceptGate Gate { get; } = new();
    }
}
