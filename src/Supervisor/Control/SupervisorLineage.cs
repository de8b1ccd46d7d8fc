using Cluster.Supervisor.Hosting.Listening;

namespace Cluster.Supervisor.Control;

/// <summary>
/// What a supervisor knows of the ones before it (`status`): the one it took over from in an upgrade (null for a
/// plain start), how many upgrades led to it, and where its listening sockets came from.
/// </summary>
internal sealed record SupervisorLineage(int? PreviousPid, string? PreviousVersion, int Upgrades, SocketOrigin Sockets)
{
    public static readonly SupervisorLineage FirstStart = new(null, null, 0, SocketOrigin.Bound);
}
