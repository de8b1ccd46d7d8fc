using System.Globalization;
using System.Text.Json;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>
/// "listen": one URL, several separated by commas (for SUPERVISOR_LISTEN and --listen), an object
/// {"url": ..., "http2": true}, or an array of URLs and such objects.
/// </summary>
internal static class ListenConfigReader
{
    public static readonly string[] ListenerKeys = ["url", "http2"];

    public const string Expected =
        "a URL such as \"http://0.0.0.0:80\" or \"https://0.0.0.0:443\", an object {\"url\": \"http://...\", \"http2\": true}, or an array of them";

    /// <summary>The listeners with the node each came from (for later errors); null when none is valid.</summary>
    public static IReadOnlyList<(ListenerConfig Listener, ConfigNode Node)>? Read(ConfigReader reader, ConfigNode node)
    {
        var listeners = new List<(ListenerConfig, ConfigNode)>();
        if (node.IsMissing)
        {
            listeners.Add((new ListenerConfig(ListenAddressParser.TryParse(ConfigDefaults.Listen, out _)!), node));
            return listeners;
        }

        var value = node.Value!.Value;
        var errorsBefore = reader.Errors.Count;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var parts = value.GetString()!.Split(',');
                for (var i = 0; i < parts.Length; i++)
                {
                    var partNode = parts.Length == 1 ? node : node.Item(i, value);
                    AddIfValid(listeners, ReadUrl(reader, partNode, parts[i]), partNode);
                }

                break;
            case JsonValueKind.Object:
                AddIfValid(listeners, ReadObject(reader, node), node);
                break;
            case JsonValueKind.Array when value.GetArrayLength() == 0:
                reader.Error(node, $"expected at least one listener: {Expected}");
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var itemNode = node.Item(index++, item);
                    AddIfValid(listeners, item.ValueKind switch
                    {
                        JsonValueKind.String => ReadUrl(reader, itemNode, item.GetString()!),
                        JsonValueKind.Object => ReadObject(reader, itemNode),
                        _ => Fail(reader, itemNode, $"expected a URL or an object {{\"url\": ..., \"http2\": true}}, got {JsonDescriptions.Describe(item)}"),
                    }, itemNode);
                }

                break;
            default:
                reader.Error(node, $"expected {Expected}, got {JsonDescriptions.Describe(value)}");
                break;
        }

        ReportSharedPorts(reader, listeners);
        return reader.Errors.Count > errorsBefore || listeners.Count == 0 ? null : listeners;
    }

    private static ListenerConfig? ReadObject(ConfigReader reader, ConfigNode node)
    {
        var keys = reader.Object(node, ListenerKeys);
        var urlNode = keys["url"];
        if (urlNode.IsMissing)
        {
            reader.Error(urlNode, $"required: the address to listen on, {ListenAddressParser.ExpectedPublic}");
        }

        var text = reader.String(urlNode, ListenAddressParser.ExpectedPublic);
        var http2 = reader.Boolean(keys["http2"], false);
        var listener = text is null ? null : ReadUrl(reader, urlNode, text);
        if (listener is null)
        {
            return null;
        }

        if (http2 && listener.IsHttps)
        {
            reader.Error(keys["http2"], "https:// listeners always offer HTTP/2 and HTTP/1.1 (by ALPN); \"http2\": true is for http:// listeners, where it means HTTP/2 without TLS (h2c, prior knowledge, as gRPC clients on an internal network use it)");
            return null;
        }

        return listener with { Http2 = http2 };
    }

    private static ListenerConfig? ReadUrl(ConfigReader reader, ConfigNode node, string text)
    {
        var address = ListenAddressParser.TryParse(text, out var problem, allowHttps: true);
        if (address is null)
        {
            reader.Error(node, $"expected {ListenAddressParser.ExpectedPublic}; got {JsonDescriptions.Quote(text.Trim())}: {problem}");
            return null;
        }

        return new ListenerConfig(address);
    }

    private static ListenerConfig? Fail(ConfigReader reader, ConfigNode node, string message)
    {
        reader.Error(node, message);
        return null;
    }

    private static void AddIfValid(List<(ListenerConfig, ConfigNode)> listeners, ListenerConfig? listener, ConfigNode node)
    {
        if (listener is not null)
        {
            listeners.Add((listener, node));
        }
    }

    /// <summary>Two listeners on one port cannot both bind it (and 0.0.0.0 overlaps every address).</summary>
    private static void ReportSharedPorts(ConfigReader reader, List<(ListenerConfig Listener, ConfigNode Node)> listeners)
    {
        for (var i = 1; i < listeners.Count; i++)
        {
            var (listener, node) = listeners[i];
            if (listeners.Take(i).FirstOrDefault(l => l.Listener.Port == listener.Port) is { Listener: not null } earlier)
            {
                reader.Error(node, $"port {listener.Port.ToString(CultureInfo.InvariantCulture)} is already used by {earlier.Listener.Url} ({earlier.Node.Path}); each listener needs a port of its own");
            }
        }
    }
}
