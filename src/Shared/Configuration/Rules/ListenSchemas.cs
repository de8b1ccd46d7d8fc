using System.Text.Json.Nodes;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>Schemas that ask what "listen" holds, in any of its shapes (a comma list, an object, an array).</summary>
internal static class ListenSchemas
{
    private const string Https = "[ \\t]*[hH][tT][tT][pP][sS]://";

    private const string Http = "[ \\t]*[hH][tT][tT][pP]://";

    /// <summary>At least one https:// listener.</summary>
    public static JsonObject HasHttps => Any($"(^|,){Https}", Url($"^{Https}"));

    /// <summary>At least one http:// listener without "http2" (one that can redirect).</summary>
    public static JsonObject HasPlainHttp => Any($"(^|,){Http}", Plain());

    /// <summary>Exactly one http:// listener without "http2": what a shared socket takes.</summary>
    public static JsonObject OnePlainHttp => new()
    {
        ["anyOf"] = new JsonArray(
            new JsonObject { ["type"] = "string", ["pattern"] = $"^{Http}[^,]*$" },
            Plain(),
            new JsonObject { ["type"] = "array", ["maxItems"] = 1, ["items"] = new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "string", ["pattern"] = $"^{Http}" }, Plain()) } }),
    };

    private static JsonObject Url(string pattern) => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("url"),
        ["properties"] = new JsonObject { ["url"] = new JsonObject { ["pattern"] = pattern } },
    };

    private static JsonObject Plain()
    {
        var plain = Url($"^{Http}");
        plain["not"] = ConfigRules.Is("http2", true);
        return plain;
    }

    private static JsonObject Any(string stringPattern, JsonObject listener) => new()
    {
        ["anyOf"] = new JsonArray(
            new JsonObject { ["type"] = "string", ["pattern"] = stringPattern },
            listener,
            new JsonObject
            {
                ["type"] = "array",
                ["contains"] = new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "string", ["pattern"] = "^" + stringPattern[5..] }, listener.DeepClone()) },
            }),
    };
}
