using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

internal sealed class BooleanKind : Kind<bool>
{
    public static readonly BooleanKind Instance = new();
    public override string Values => "`true` or `false`";

    public override bool TryRead(Reading reading, ConfigNode node, out bool value)
    {
        var json = node.Value!.Value;
        value = json.ValueKind == JsonValueKind.True;
        if (json.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return true;
        }

        reading.Error(node, $"expected true or false, got {JsonDescriptions.Describe(json)}");
        return false;
    }

    public override JsonNode? Show(bool value) => value;
    public override JsonObject Schema(SchemaDefinitions definitions) => new() { ["type"] = "boolean" };
}
