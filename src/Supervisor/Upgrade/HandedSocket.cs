using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Upgrade;

/// <summary>One listening socket handed over: the descriptor the new process inherits it at, and the config key it served.</summary>
internal sealed record HandedSocket(
    [property: JsonPropertyName("fd")] int Descriptor,
    [property: JsonPropertyName("name")] string Name);
