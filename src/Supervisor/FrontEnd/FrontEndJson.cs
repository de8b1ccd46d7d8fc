using System.Text.Json.Serialization;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>The front end's own JSON answers, generated at build time (no reflection: safe in the trimmed build).</summary>
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(HealthBody))]
internal sealed partial class FrontEndJson : JsonSerializerContext;
