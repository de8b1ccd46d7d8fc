using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>An array whose items are of one kind, each bad item named by its index; at least <paramref name="minItems"/>.</summary>
internal sealed class ArrayKind<TItem>(Kind<TItem> item, string expected, int minItems = 0) : Kind<IReadOnlyList<TItem>>
{
    public override string Values => $"array of {item.Values}";

    public override bool TryRead(Reading reading, ConfigNode node, out IReadOnlyList<TItem> value)
    {
        value = [];
        var json = node.Value!.Value;
        if (json.ValueKind != JsonValueKind.Array || json.GetArrayLength() < minItems)
        {
            reading.Error(node, $"expected {expected}, got {JsonDescriptions.Describe(json)}");
            return false;
        }

        var items = json.EnumerateArray().Select((element, i) => (Ok: item.TryRead(reading, node.Item(i, element), out var read), Value: read)).ToList();
        value = [.. items.Where(i => i.Ok).Select(i => i.Value)];
        return items.All(i => i.Ok);
    }

    public override JsonNode? Show(IReadOnlyList<TItem> value) => new JsonArray([.. value.Select(item.Show)]);

    public override JsonObject Schema(SchemaDefinitions definitions)
    {
        var schema = new JsonObject { ["type"] = "array", ["items"] = item.Schema(definitions) };
        if (minItems > 0)
        {
            schema["minItems"] = minItems;
        }

        return schema;
    }
}
