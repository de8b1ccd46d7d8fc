using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// A string. <paramref name="rules"/> are regular expressions it must (or must not) match, the same in the reader and
/// the schema; <paramref name="invalid"/> words the message when one fails. <paramref name="resolve"/> turns it into
/// what the supervisor uses (an absolute path, a listen address) and may refuse it for reasons no schema can know (a
/// missing folder); without it the value is the string. A value is shown as its ToString().
/// </summary>
internal sealed class TextKind<T>(
    string expected,
    string values,
    (string Pattern, bool Match)[]? rules = null,
    Func<string, string>? invalid = null,
    Func<Reading, ConfigNode, string, T?>? resolve = null,
    bool quoteHint = false) : Kind<T?>
    where T : class
{
    private (Regex Regex, bool Match)[] Rules => field ??= [.. (rules ?? []).Select(r => (new Regex(r.Pattern, RegexOptions.CultureInvariant), r.Match))];
    public override string Values => values;

    public override bool TryRead(Reading reading, ConfigNode node, out T? value)
    {
        value = null;
        var json = node.Value!.Value;
        if (json.ValueKind != JsonValueKind.String)
        {
            var hint = quoteHint && json.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? $"; write it in quotes: \"{json.GetRawText()}\"" : string.Empty;
            reading.Error(node, $"expected {expected}, got {JsonDescriptions.Describe(json)}{hint}");
            return false;
        }

        var text = json.GetString()!;
        if (Rules.Any(r => r.Regex.IsMatch(text) != r.Match))
        {
            reading.Error(node, invalid!(text));
            return false;
        }

        value = resolve is null ? (T)(object)text : resolve(reading, node, text);
        return value is not null;
    }

    public override JsonNode? Show(T? value) => value?.ToString();

    public override JsonObject Schema(SchemaDefinitions definitions)
    {
        var schema = new JsonObject { ["type"] = "string" };
        if (rules is { Length: > 0 })
        {
            schema["allOf"] = new JsonArray([.. rules.Select(r => (JsonNode)(r.Match ? Pattern(r.Pattern) : new JsonObject { ["not"] = Pattern(r.Pattern) }))]);
        }

        return schema;
    }

    private static JsonObject Pattern(string pattern) => new() { ["pattern"] = pattern };
}
