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

    /// <summary>The text as a JSON string literal, quoted and escaped.</summary>
    public static string Quote(string text)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
