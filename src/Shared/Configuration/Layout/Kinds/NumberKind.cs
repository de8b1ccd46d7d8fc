using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>A number (fractions allowed) in a range; <paramref name="meaning"/> says what it is in messages.</summary>
internal sealed class NumberKind(double min, double max, string meaning) : Kind<double>
{
    public override string Values => $"number, {Text(min)} to {Text(max)}";

    public override bool TryRead(Reading reading, ConfigNode node, out double value)
    {
        var json = node.Value!.Value;
        if (json.ValueKind == JsonValueKind.Number && json.TryGetDouble(out value) && value >= min && value <= max)
        {
            return true;
        }

        reading.Error(node, $"expected {meaning}: a number from {Text(min)} to {Text(max)}, got {JsonDescriptions.Describe(json)}");
        value = 0;
        return false;
    }

    public override JsonNode? Show(double value) => value;
    public override JsonObject Schema(SchemaDefinitions definitions) => new() { ["type"] = "number", ["minimum"] = min, ["maximum"] = max };
    private static string Text(double number) => number.ToString(CultureInfo.InvariantCulture);
}
