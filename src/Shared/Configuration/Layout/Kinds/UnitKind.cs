using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// A string of a number and a unit ("500ms", "32KB") in a range. The range is checked by regular expressions made from
/// it (<see cref="NumberPatterns"/>), the same ones the JSON Schema carries, so an editor and the supervisor agree on
/// every string; the value itself is then computed exactly (decimal). A unit is used to show a value from
/// <c>From</c> on, when it divides the value.
/// </summary>
internal abstract class UnitKind<T>(string what, string expected, long min, long max, bool fractions, (string Unit, string Pattern, long Size, long From)[] units)
    : Kind<T>
{
    private const string Blank = "[ \\t]*";
    private Regex Syntax => field ??= new Regex(Anchored(fractions ? @"([0-9]+(?:\.[0-9]+)?)" : "([0-9]+)", string.Join('|', units.Select(u => u.Pattern))), RegexOptions.CultureInvariant);
    private Regex[][] Ranges => field ??= [.. units.Select(u => RangePatterns(u.Pattern, u.Size).Select(p => new Regex(p, RegexOptions.CultureInvariant)).ToArray())];
    public override string Values => $"{what}, {Format(min)} to {Format(max)}";

    public override bool TryRead(Reading reading, ConfigNode node, out T value)
    {
        value = default!;
        var json = node.Value!.Value;
        var match = json.ValueKind == JsonValueKind.String ? Syntax.Match(json.GetString()!) : Match.Empty;
        if (!match.Success || !Ranges.Any(range => range.All(p => p.IsMatch(match.Value))))
        {
            reading.Error(node, match.Success ? $"expected {what} {Range}, got {JsonDescriptions.Quote(match.Value)}" : $"expected {expected}, {Range}; got {JsonDescriptions.Describe(json)}");
            return false;
        }

        value = FromSmallest(Smallest(match.Value));
        return true;
    }

    /// <summary>A string of the syntax in the smallest unit.</summary>
    protected decimal Smallest(string text)
    {
        var match = Syntax.Match(text);
        return decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * units.Single(u => Regex.IsMatch(match.Groups[2].Value, $"^(?:{u.Pattern})$")).Size;
    }

    public override JsonNode? Show(T value) => Format(ToSmallest(value));

    public override JsonObject Schema(SchemaDefinitions definitions) =>
        definitions.Reference($"{what[2..]}-{Format(min)}-{Format(max)}", () => new JsonObject
        {
            ["type"] = "string",
            ["pattern"] = Syntax.ToString(),
            ["anyOf"] = new JsonArray([.. units.Select(u => (JsonNode)new JsonObject
            {
                ["allOf"] = new JsonArray([.. RangePatterns(u.Pattern, u.Size).Select(p => (JsonNode)new JsonObject { ["pattern"] = p })]),
            })]),
        });

    /// <summary>A value in the smallest unit (milliseconds, bytes), written in the largest unit that divides it: "130s", "1500ms", "16KB".</summary>
    public string Format(decimal smallest)
    {
        var unit = units.Reverse().FirstOrDefault(u => smallest >= u.From && smallest % u.Size == 0, units[0]);
        return $"{(smallest / unit.Size).ToString(CultureInfo.InvariantCulture)}{unit.Unit}";
    }

    protected abstract T FromSmallest(decimal amount);
    protected abstract decimal ToSmallest(T value);
    private string Range => $"from {Format(min)} to {Format(max)}";
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
