using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// A string of a number and a unit ("500ms", "32KB") in a range. The range is checked by regular expressions made from
/// it (<see cref="NumberPatterns"/>), the same ones the JSON Schema carries, so an editor and the supervisor agree on
/// every string; the value itself is then computed exactly (decimal).
/// </summary>
internal abstract class UnitKind<T>(string what, string expected, long min, long max, bool fractions, (string Unit, string Pattern, long Size)[] units)
    : Kind<T>
{
    private const string Blank = "[ \\t]*";

    private readonly Lazy<Regex> _syntax = new(() => new Regex(Anchored(Number(fractions), string.Join('|', units.Select(u => u.Pattern))), RegexOptions.CultureInvariant));

    private (string Unit, Regex[] Patterns)[] Ranges => field ??=
        [.. units.Select(u => (u.Unit, RangePatterns(u.Pattern, u.Size).Select(p => new Regex(p, RegexOptions.CultureInvariant)).ToArray()))];

    public override string Values => $"{what}, {Format(min)} to {Format(max)}";

    private string Range => $"from {Format(min)} to {Format(max)}";

    public override bool TryRead(Reading reading, ConfigNode node, out T value)
    {
        value = default!;
        var json = node.Value!.Value;
        var match = json.ValueKind == JsonValueKind.String ? _syntax.Value.Match(json.GetString()!) : Match.Empty;
        if (!match.Success)
        {
            reading.Error(node, $"expected {expected}, {Range}; got {JsonDescriptions.Describe(json)}");
            return false;
        }

        var text = json.GetString()!;
        if (!Ranges.Any(range => range.Patterns.All(p => p.IsMatch(text))))
        {
            reading.Error(node, $"expected {what} {Range}, got {JsonDescriptions.Quote(text)}");
            return false;
        }

        var size = units.Single(u => Regex.IsMatch(match.Groups[2].Value, $"^(?:{u.Pattern})$")).Size;
        value = FromSmallest(decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * size);
        return true;
    }

    public override JsonNode? Show(T value) => Format(ToSmallest(value));

    public override JsonObject Schema(SchemaDefinitions definitions) =>
        definitions.Reference($"{what[2..]}-{Format(min)}-{Format(max)}", () => new JsonObject
        {
            ["type"] = "string",
            ["pattern"] = _syntax.Value.ToString(),
            ["anyOf"] = new JsonArray([.. units.Select(u => (JsonNode)new JsonObject
            {
                ["allOf"] = new JsonArray([.. RangePatterns(u.Pattern, u.Size).Select(p => (JsonNode)new JsonObject { ["pattern"] = p })]),
            })]),
        });

    /// <summary>The value in the smallest unit (milliseconds, bytes), written with the largest unit that divides it.</summary>
    public abstract string Format(long smallest);

    protected abstract T FromSmallest(decimal amount);

    protected abstract long ToSmallest(T value);

    private static string Number(bool fractions) => fractions ? @"([0-9]+(?:\.[0-9]+)?)" : "([0-9]+)";

    private static string Anchored(string number, string unit) => $"^{Blank}{number}{Blank}({unit}){Blank}$";

    private IEnumerable<string> RangePatterns(string unit, long size)
    {
        if (min > 0)
        {
            yield return Anchored($"(?:{NumberPatterns.AtLeast(min, size, fractions)})", unit);
        }

        yield return Anchored($"(?:{NumberPatterns.AtMost(max, size, fractions)})", unit);
    }
}
