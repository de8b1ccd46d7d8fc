using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// A string. <paramref name="rules"/> are regular expressions it must (or must not) match, the same in the reader and
/// the schema; <paramref name="invalid"/> words the message when one fails. <paramref name="resolve"/> turns it into
/// what the supervisor uses (an absolute path) and may refuse it for reasons no schema can know (a missing folder).
/// </summary>
internal sealed class TextKind(
    string expected,
    string values,
    (string Pattern, bool Match)[]? rules = null,
    Func<string, string>? invalid = null,
    Func<Reading, ConfigNode, string, string?>? resolve = null,
    bool quoteHint = false) : Kind<string?>
{
    private readonly Lazy<(Regex Regex, bool Match)[]> _rules = new(() => [.. (rules ?? []).Select(r => (new Regex(r.Pattern, RegexOptions.CultureInvariant), r.Match))]);

    /// <summary>Not empty, not only blanks.</summary>
    public const string NotBlank = "[^ \\t\\r\\n]";

    public override string Values => values;

    public override bool TryRead(Reading reading, ConfigNode node, out string? value)
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
        if (_rules.Value.Any(r => r.Regex.IsMatch(text) != r.Match))
        {
            reading.Error(node, invalid!(text));
            return false;
        }

        value = resolve is null ? text : resolve(reading, node, text);
        return value is not null;
    }

    public override JsonNode? Show(string? value) => value;

    public override JsonObject Schema(SchemaDefinitions definitions)
    {
        var schema = new JsonObject { ["type"] = "string" };
        if (rules is { Length: > 0 })
        {
            schema["allOf"] = new JsonArray([.. rules.Select(r => (JsonNode)(r.Match
                ? new JsonObject { ["pattern"] = r.Pattern }
                : new JsonObject { ["not"] = new JsonObject { ["pattern"] = r.Pattern } }))]);
        }

        return schema;
    }
}
