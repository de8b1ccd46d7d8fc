using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>Environment variables for the workers: an object of strings whose keys are the user's own.</summary>
internal sealed class MapKind(string expected) : Kind<IReadOnlyDictionary<string, string>>
{
    private static readonly TextKind<string> Value = Texts.Plain("a string", "string", quoteHint: true);
    public override string Values => "object of strings";

    public override bool TryRead(Reading reading, ConfigNode node, out IReadOnlyDictionary<string, string> value)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        value = map;
        var json = node.Value!.Value;
        if (json.ValueKind != JsonValueKind.Object)
        {
            reading.Error(node, $"expected {expected}, got {JsonDescriptions.Describe(json)}");
            return false;
        }

        var ok = true;
        foreach (var property in json.EnumerateObject())
        {
            var child = node.Child(property.Name, property.Value);
            if (property.Name.Length == 0 || property.Name.Contains('=') || property.Name.Contains('\0'))
            {
                reading.Error(child, "an environment variable name must be non-empty and contain no '=' or NUL");
                ok = false;
            }
            else if (!Value.TryRead(reading, child, out var text))
            {
                ok = false;
            }
            else if (!map.TryAdd(property.Name, text!))
            {
                reading.Error(child, "duplicate key");
                ok = false;
            }
        }

        return ok;
    }

    public override JsonNode? Show(IReadOnlyDictionary<string, string> value) =>
        new JsonObject([.. value.Select(pair => new KeyValuePair<string, JsonNode?>(pair.Key, pair.Value))]);

    public override JsonObject Schema(SchemaDefinitions definitions) => new()
    {
        ["type"] = "object",
        ["propertyNames"] = new JsonObject { ["pattern"] = "^[^=\\x00]+$" },
        ["additionalProperties"] = new JsonObject { ["type"] = "string" },
    };
}
