using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// "workers": a fixed count ("auto" or an integer, as <see cref="WorkerCountKind"/> reads it), or an object, the range
/// of a pool that follows the load, read as the section <paramref name="range"/> (so its keys are checked, named by
/// their JSON path, and shown in the docs' key table as keys of their own).
/// </summary>
internal sealed class WorkersKind(Section<WorkerRange> range) : Kind<WorkerCount>
{
    private readonly WorkerCountKind _count = new();

    public override string Values => $"{_count.Values}, or object ({string.Join(", ", range.Names.Select(n => $"`{n}`"))})";

    /// <summary>The keys of the object form, for the docs' key table.</summary>
    public override Section ObjectForm => range;

    public override bool TryRead(Reading reading, ConfigNode node, out WorkerCount value)
    {
        var json = node.Value!.Value;
        if (json.ValueKind == JsonValueKind.Object)
        {
            var read = range.Read(reading, node, range.Empty);
            value = WorkerCount.Ranged(read);
            return reading.Ok(node.Key);
        }

        if (json.ValueKind is JsonValueKind.Number or JsonValueKind.String)
        {
            return _count.TryRead(reading, node, out value);
        }

        value = new WorkerCount(Math.Clamp(reading.Context.Environment.ProcessorCount, 1, WorkerCount.Max), IsAuto: true);
        reading.Error(node, $"expected \"auto\", an integer from 1 to {WorkerCount.Max}, or a range such as {{\"min\": 1, \"max\": \"auto\", \"spare\": 1, \"idleTimeout\": \"30s\"}}, got {JsonDescriptions.Describe(json)}");
        return false;
    }

    public override JsonNode? Show(WorkerCount value) => value.Range is { } bounds ? range.Show(bounds) : _count.Show(value);

    public override JsonObject Schema(SchemaDefinitions definitions)
    {
        var schema = _count.Schema(definitions);
        ((JsonArray)schema["oneOf"]!).Add((JsonNode)range.Schema(definitions));
        return schema;
    }
}
