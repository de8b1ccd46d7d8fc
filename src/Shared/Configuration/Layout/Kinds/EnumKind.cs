using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// One of a list of names, spelt exactly as documented (the schema's "enum" lists the same names, so an editor
/// completes and checks them alike); a near miss, "RoundRobin" included, gets a "did you mean". Aliases are accepted
/// and listed in the schema, but not offered in messages.
/// </summary>
internal sealed class EnumKind<TEnum>((string Name, TEnum Value)[] names, (string Name, TEnum Value)[]? aliases = null) : Kind<TEnum>
    where TEnum : struct, Enum
{
    private readonly (string Name, TEnum Value)[] _accepted = [.. names, .. aliases ?? []];

    public override string Values =>
        string.Join(", ", names.Select(n => $"`\"{n.Name}\"`")) + (aliases is null ? string.Empty : $" (also {string.Join(", ", aliases.Select(a => $"`\"{a.Name}\"`"))})");

    public override bool TryRead(Reading reading, ConfigNode node, out TEnum value)
    {
        var json = node.Value!.Value;
        var text = json.ValueKind == JsonValueKind.String ? json.GetString()! : null;
        (var found, value) = _accepted.FirstOrDefault(a => a.Name == text);
        if (found is not null)
        {
            return true;
        }

        var suggestion = text is null ? null : KeySuggestions.Closest(text, names.Select(n => n.Name));
        reading.Error(node, $"expected one of {string.Join(", ", names.Select(n => JsonDescriptions.Quote(n.Name)))}, got {JsonDescriptions.Describe(json)}{(suggestion is null ? string.Empty : $" (did you mean \"{suggestion}\"?)")}");
        return false;
    }

    public override JsonNode? Show(TEnum value) => names.First(n => EqualityComparer<TEnum>.Default.Equals(n.Value, value)).Name;
    public override JsonObject Schema(SchemaDefinitions definitions) => new() { ["enum"] = new JsonArray([.. _accepted.Select(a => (JsonNode)a.Name)]) };
}
