using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;
using static Cluster.Shared.Configuration.Parsing.JsonDescriptions;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// "listen": one URL, several separated by commas (for SUPERVISOR_LISTEN and --listen), an object
/// {"url": ..., "http2": true}, or an array of URLs and such objects; each listener on a port of its own. The node of
/// listener i is remembered as "listen[i]" for the rules that name it.
/// </summary>
internal sealed class ListenKind : Kind<IReadOnlyList<ListenerConfig>>
{
    public const string Expected =
        "a URL such as \"http://0.0.0.0:80\" or \"https://0.0.0.0:443\", an object {\"url\": \"http://...\", \"http2\": true}, or an array of them";

    private static readonly string[] ListenerKeys = ["url", "http2"];
    public override string Values => "URL, object or array";

    public override bool TryRead(Reading reading, ConfigNode node, out IReadOnlyList<ListenerConfig> value)
    {
        value = [];
        var json = node.Value!.Value;
        List<(ConfigNode Node, string? Url)> parts = json.ValueKind switch
        {
            JsonValueKind.String when json.GetString()!.Split(',') is { Length: > 1 } urls => [.. urls.Select((url, i) => (node.Item(i, json), (string?)url))],
            JsonValueKind.String => [(node, json.GetString())],
            JsonValueKind.Object => [(node, null)],
            JsonValueKind.Array => [.. json.EnumerateArray().Select((item, i) => (node.Item(i, item), item.ValueKind == JsonValueKind.String ? item.GetString() : null))],
            _ => [],
        };
        if (parts.Count == 0)
        {
            return reading.Fail<ListenerConfig>(node, json.ValueKind == JsonValueKind.Array ? $"expected at least one listener: {Expected}" : $"expected {Expected}, got {Describe(json)}") is not null;
        }

        var listeners = new List<(ListenerConfig Listener, ConfigNode Node)>();
        foreach (var (part, url) in parts)
        {
            var listener = url is not null ? ReadUrl(reading, part, url)
                : part.Value!.Value.ValueKind == JsonValueKind.Object ? ReadObject(reading, part)
                : reading.Fail<ListenerConfig>(part, $"expected a URL or an object {{\"url\": ..., \"http2\": true}}, got {Describe(part.Value.Value)}");
            if (listener is not null)
            {
                listeners.Add((listener, part));
            }
        }

        var ok = listeners.Count == parts.Count;
        for (var i = 0; i < listeners.Count; i++)
        {
            reading.Remember($"{node.Key}[{i}]", listeners[i].Node);
            if (listeners.Take(i).FirstOrDefault(l => l.Listener.Port == listeners[i].Listener.Port) is { Listener: not null } earlier)
            {
                reading.Error(listeners[i].Node, $"port {listeners[i].Listener.Port.ToString(CultureInfo.InvariantCulture)} is already used by {earlier.Listener.Url} ({earlier.Node.Path}); each listener needs a port of its own", ConfigErrorKind.Relation);
                ok = false;
            }
        }

        value = [.. listeners.Select(l => l.Listener)];
        return ok;
    }

    public override JsonNode? Show(IReadOnlyList<ListenerConfig> value) =>
        new JsonArray([.. value.Select(l => l.Http2 ? new JsonObject { ["url"] = l.Url, ["http2"] = true } : (JsonNode)l.Url)]);

    public override JsonObject Schema(SchemaDefinitions definitions)
    {
        // An https:// listener offers HTTP/2 by ALPN; "http2": true is for http:// ones.
        var listener = definitions.Reference("listener", () => JsonNode.Parse($$"""
            {
              "type": "object", "additionalProperties": false, "required": ["url"],
              "properties": {
                "url": { "type": "string", "pattern": {{Quote(ListenUrls.Pattern(https: true))}}, "description": "http://HOST:PORT or https://HOST:PORT (HOST an IP address, localhost or *)." },
                "http2": { "type": "boolean", "default": false, "description": "http:// only: HTTP/2 without TLS, by prior knowledge (h2c), for gRPC clients; https:// listeners offer HTTP/2 by ALPN always." }
              },
              "if": { "properties": { "url": { "pattern": "^[ \\t]*[hH][tT][tT][pP][sS]" } } }, "then": { "properties": { "http2": { "const": false } } }
            }
            """)!.AsObject()).ToJsonString();
        return JsonNode.Parse($$"""
            { "oneOf": [{ "type": "string", "pattern": {{Quote(ListenUrls.ListPattern)}} }, {{listener}},
              { "type": "array", "minItems": 1, "items": { "oneOf": [{ "type": "string", "pattern": {{Quote(ListenUrls.Pattern(https: true))}} }, {{listener}}] } }] }
            """)!.AsObject();
    }

    private static ListenerConfig? ReadObject(Reading reading, ConfigNode node)
    {
        var keys = reading.Object(node, ListenerKeys);
        var (url, http2) = (keys["url"], keys["http2"]);
        var listener = url.IsMissing ? reading.Fail<ListenerConfig>(url, $"required: the address to listen on, {ListenUrls.ExpectedPublic}")
            : url.Value!.Value.ValueKind == JsonValueKind.String ? ReadUrl(reading, url, url.Value.Value.GetString()!)
            : reading.Fail<ListenerConfig>(url, $"expected {ListenUrls.ExpectedPublic}, got {Describe(url.Value.Value)}");
        var h2 = false;
        if (!http2.IsMissing && !BooleanKind.Instance.TryRead(reading, http2, out h2))
        {
            return null;
        }

        return listener is null || !h2 ? listener
            : listener.IsHttps ? reading.Fail<ListenerConfig>(http2, "https:// listeners always offer HTTP/2 and HTTP/1.1 (by ALPN); \"http2\": true is for http:// listeners, where it means HTTP/2 without TLS (h2c, prior knowledge, as gRPC clients on an internal network use it)")
            : listener with { Http2 = true };
    }

    private static ListenerConfig? ReadUrl(Reading reading, ConfigNode node, string text) =>
        ListenUrls.TryParse(text, https: true, out var problem) is { } address
            ? new ListenerConfig(address)
            : reading.Fail<ListenerConfig>(node, $"expected {ListenUrls.ExpectedPublic}; got {Quote(text.Trim())}: {problem}");
}
