using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Upgrade;

/// <summary>
/// What a supervisor gives the new one it starts for an upgrade, in its environment (<see cref="Variable"/>, JSON): who
/// it is, and the descriptors the new process inherits: every listening socket (named by the config key it serves, as
/// LISTEN_FDNAMES names systemd's), the channel the two talk over, and this supervisor's own stdout and stderr, which
/// the new one takes as its own once it has taken over (until then its output comes through this one).
/// </summary>
internal sealed record HandOver(
    [property: JsonPropertyName("predecessor")] PredecessorRecord Predecessor,
    [property: JsonPropertyName("sockets")] IReadOnlyList<HandedSocket> Sockets,
    [property: JsonPropertyName("channel")] int Channel,
    [property: JsonPropertyName("stdout")] int Stdout,
    [property: JsonPropertyName("stderr")] int Stderr)
{
    public const string Variable = "CLUSTER_UPGRADE";
}
