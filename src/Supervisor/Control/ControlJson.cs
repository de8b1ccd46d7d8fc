using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.Supervisor.Control;

/// <summary>
/// The control API's JSON, generated at build time: no reflection, so the trimmed self-contained build (README,
/// "Self-contained build") serializes exactly what the framework-dependent one does. Web defaults as ASP.NET's
/// minimal APIs use them (names are fixed by JsonPropertyName on every record anyway).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(ScaleRequestBody))]
[JsonSerializable(typeof(OperationAnswer))]
[JsonSerializable(typeof(StopAnswer))]
[JsonSerializable(typeof(UpgradeAnswer))]
[JsonSerializable(typeof(WorkerDetailReport))]
internal sealed partial class ControlJson : JsonSerializerContext;
