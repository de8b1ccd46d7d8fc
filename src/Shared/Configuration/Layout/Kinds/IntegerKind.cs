using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// A whole number in a range. "4.0" counts as 4, as it does for a JSON Schema's "integer"; <paramref name="meaning"/>
/// says what it counts in messages ("expected exit codes: an integer from 0 to 255, got ...").
/// </summary>
internal sealed class IntegerKind(long min, long max, string meaning) : Kind<long>
{
    public override string Values => $"integer, {min} to {max}";

    public static bool TryWhole(JsonElement value, out long number)
    {
        number = 0;
        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (value.TryGetInt64(out number))
        {
            return true;
        }

        var ok = value.TryGetDecimal(out var exact) && exact == decimal.Truncate(exact) && exact is >= long.MinValue and <= long.MaxValue;
        number = ok ? (long)exact : 0;
        return ok;
    }

    public override bool TryRead(Reading reading, ConfigNode node, out long value)
    {
        if (TryWhole(node.Value!.Value, out value) && value >= min && value <= max)
        {
            return true;
        }

        reading.Error(node, $"expected {meaning}: an integer from {min} to {max}, got {JsonDescriptions.Describe(node.Value!.Value)}");
        return false;
    }

    public override JsonNode? Show(long value) => value;
    public override JsonObject Schema(SchemaDefinitions definitions) => new() { ["type"] = "integer", ["minimum"] = min, ["maximum"] = max };
}
