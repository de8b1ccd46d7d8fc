using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Hosting.PidFiles;

/// <summary>The pid file's JSON, generated at build time (no reflection: safe in the trimmed build).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(PidFileContent))]
internal sealed partial class PidFileJson : JsonSerializerContext;
