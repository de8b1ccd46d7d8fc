using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Upgrade;

/// <summary>The hand-over's JSON, generated at build time (no reflection: safe in the trimmed build).</summary>
[JsonSerializable(typeof(HandOver))]
internal sealed partial class HandOverJson : JsonSerializerContext;
