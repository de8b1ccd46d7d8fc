using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>"auto" (one worker per CPU this process may use, cgroup limits honoured) or a count.</summary>
internal sealed class WorkerCountKind : Kind<WorkerCount>
{
    public override string Values => $"`\"auto\"` or integer, 1 to {WorkerCount.Max}";

    public override bool TryRead(Reading reading, ConfigNode node, out WorkerCount value)
    {
        var json = node.Value!.Value;
        value = new WorkerCount(Math.Clamp(reading.Context.Environment.ProcessorCount, 1, WorkerCount.Max), IsAuto: true);
        if (json.ValueKind == JsonValueKind.String && json.GetString() == "auto")
        {
            return true;
        }

        if (IntegerKind.TryWhole(json, out var count) && count is >= 1 and <= WorkerCount.Max)
        {
            value = new WorkerCount((int)count, IsAuto: false);
            return true;
        }

        var hint = json.ValueKind == JsonValueKind.String && int.TryParse(json.GetString(), out _) ? "; write the number without quotes" : string.Empty;
        reading.Error(node, $"expected \"auto\" or an integer from 1 to {WorkerCount.Max}, got {JsonDescriptions.Describe(json)}{hint}");
        return false;
    }

    public override JsonNode? Show(WorkerCount value) => value.Count;

    public override JsonObject Schema(SchemaDefinitions definitions) => new()
    {
        ["oneOf"] = new JsonArray(new JsonObject { ["const"] = "auto" }, new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = WorkerCount.Max }),
    };
}
