using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

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
        var listeners = new List<(ListenerConfig Listener, ConfigNode Node)>();
        value = [];
        var json = node.Value!.Value;
        var ok = true;
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                var parts = json.GetString()!.Split(',');
                for (var i = 0; i < parts.Length; i++)
                {
                    var part = parts.Length == 1 ? node : node.Item(i, json);
                    ok &= Add(listeners, ReadUrl(reading, part, parts[i]), part);
                }

                break;
            case JsonValueKind.Object:
                ok = Add(listeners, ReadObject(reading, node), node);
                break;
            case JsonValueKind.Array when json.GetArrayLength() > 0:
                var index = 0;
                foreach (var item in json.EnumerateArray())
                {
                    var itemNode = node.Item(index++, item);
                    ok &= Add(listeners, item.ValueKind switch
                    {
                        JsonValueKind.String => ReadUrl(reading, itemNode, item.GetString()!),
                        JsonValueKind.Object => ReadObject(reading, itemNode),
                        _ => Fail(reading, itemNode, $"expected a URL or an object {{\"url\": ..., \"http2\": true}}, got {JsonDescriptions.Describe(item)}"),
                    }, itemNode);
                }

                break;
            default:
                return Fail(reading, node, json.ValueKind == JsonValueKind.Array ? $"expected at least one listener: {Expected}" : $"expected {Expected}, got {JsonDescriptions.Describe(json)}") is not null;
        }

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
        var listener = definitions.Reference("listener", () => new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = new JsonArray("url"),
            ["properties"] = new JsonObject
            {
                ["url"] = new JsonObject { ["type"] = "string", ["pattern"] = ListenUrls.Pattern(https: true), ["description"] = "http://HOST:PORT or https://HOST:PORT (HOST an IP address, localhost or *)." },
                ["http2"] = new JsonObject { ["type"] = "boolean", ["default"] = false, ["description"] = "http:// only: speak HTTP/2 without TLS, by prior knowledge (h2c), for gRPC clients; https:// listeners offer HTTP/2 and HTTP/1.1 by ALPN always." },
            },
            // An https:// listener offers HTTP/2 by ALPN; "http2": true is for http:// ones.
            ["if"] = new JsonObject { ["properties"] = new JsonObject { ["url"] = new JsonObject { ["pattern"] = "^[ \\t]*[hH][tT][tT][pP][sS]" } } },
            ["then"] = new JsonObject { ["properties"] = new JsonObject { ["http2"] = new JsonObject { ["const"] = false } } },
        });
        return new JsonObject
        {
            ["oneOf"] = new JsonArray(
                new JsonObject { ["type"] = "string", ["pattern"] = ListenUrls.ListPattern },
                listener,
                new JsonObject
                {
                    ["type"] = "array",
                    ["minItems"] = 1,
                    ["items"] = new JsonObject { ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string", ["pattern"] = ListenUrls.Pattern(https: true) }, listener.DeepClone()) },
                }),
        };
    }

    private static ListenerConfig? ReadObject(Reading reading, ConfigNode node)
    {
        var keys = reading.Object(node, ListenerKeys);
        var urlNode = keys["url"];
        if (urlNode.IsMissing)
        {
            reading.Error(urlNode, $"required: the address to listen on, {ListenUrls.ExpectedPublic}");
        }

        ListenerConfig? listener = null;
        if (!urlNode.IsMissing && urlNode.Value!.Value.ValueKind != JsonValueKind.String)
        {
            reading.Error(urlNode, $"expected {ListenUrls.ExpectedPublic}, got {JsonDescriptions.Describe(urlNode.Value.Value)}");
        }
        else if (!urlNode.IsMissing)
        {
            listener = ReadUrl(reading, urlNode, urlNode.Value!.Value.GetString()!);
        }

        var http2 = keys["http2"];
        if (!http2.IsMissing && !BooleanKind.Instance.TryRead(reading, http2, out _))
        {
            return null;
        }

        if (http2.Value?.ValueKind != JsonValueKind.True || listener is null)
        {
            return listener;
        }

        return listener.IsHttps
            ? Fail(reading, http2, "https:// listeners always offer HTTP/2 and HTTP/1.1 (by ALPN); \"http2\": true is for http:// listeners, where it means HTTP/2 without TLS (h2c, prior knowledge, as gRPC clients on an internal network use it)")
            : listener with { Http2 = true };
    }

    private static ListenerConfig? ReadUrl(Reading reading, ConfigNode node, string text) =>
        ListenUrls.TryParse(text, https: true, out var problem) is { } address
            ? new ListenerConfig(address)
            : Fail(reading, node, $"expected {ListenUrls.ExpectedPublic}; got {JsonDescriptions.Quote(text.Trim())}: {problem}");

    private static ListenerConfig? Fail(Reading reading, ConfigNode node, string message)
    {
        reading.Error(node, message);
        return null;
    }

    private static bool Add(List<(ListenerConfig, ConfigNode)> listeners, ListenerConfig? listener, ConfigNode node)
    {
        if (listener is not null)
        {
            listeners.Add((listener, node));
        }

        return listener is not null;
    }
}
