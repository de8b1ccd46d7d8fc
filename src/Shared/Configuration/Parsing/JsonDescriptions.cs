using System.Text.Json;

namespace Cluster.Shared.Configuration.Parsing;

internal static class JsonDescriptions
{
    /// <summary>"a string (\"abc\")", "a number (3)", "an object"... for "got ..." in messages.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"a string ({Quote(value.GetString()!)})",
        JsonValueKind.Number => $"a number ({value.GetRawText()})",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.ValueKind.ToString(),
    };

    public static string Quote(string text) => JsonSerializer.Serialize(text);
}
