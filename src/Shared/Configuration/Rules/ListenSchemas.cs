using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>Schemas that ask what "listen" holds, in any of its shapes: a comma list, {"url": ...}, an array of either.</summary>
internal static class ListenSchemas
{
    private const string Https = "[ \\t]*[hH][tT][tT][pP][sS]://";
    private const string Http = "[ \\t]*[hH][tT][tT][pP]://";

    /// <summary>At least one https:// listener.</summary>
    public static JsonNode HasHttps => Any(Https, Url(Https));

    /// <summary>At least one http:// listener without "http2" (one a redirect can come from).</summary>
    public static JsonNode HasPlainHttp => Any(Http, Plain);

    /// <summary>Exactly one http:// listener without "http2": what a shared socket takes.</summary>
    public static JsonNode OnePlainHttp => JsonNode.Parse($$"""
        { "anyOf": [{ "type": "string", "pattern": {{Q($"^{Http}[^,]*$")}} }, {{Plain}}, { "type": "array", "maxItems": 1, "items": { "anyOf": [{ "type": "string", "pattern": {{Q("^" + Http)}} }, {{Plain}}] } }] }
        """)!;

    private static string Plain => $$"""{ "allOf": [{{Url(Http)}}, { "not": { "properties": { "http2": { "const": true } }, "required": ["http2"] } }] }""";
    private static string Url(string scheme) => $$"""{ "type": "object", "required": ["url"], "properties": { "url": { "pattern": {{Q("^" + scheme)}} } } }""";

    private static JsonNode Any(string scheme, string listener) => JsonNode.Parse($$"""
        { "anyOf": [{ "type": "string", "pattern": {{Q($"(^|,){scheme}")}} }, {{listener}}, { "type": "array", "contains": { "anyOf": [{ "type": "string", "pattern": {{Q("^" + scheme)}} }, {{listener}}] } }] }
        """)!;

    private static string Q(string pattern) => JsonDescriptions.Quote(pattern);
}
