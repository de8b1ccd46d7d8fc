using System.Text.Json;
using Cluster.Shared.Contract;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>
/// "frontEnd", and what each mode rules out: with a shared socket the workers accept connections themselves, so
/// nothing of the proxy (retry, limits, rate limit, access log, forwarded headers, balancing, request counts, TLS,
/// HTTP/2 to clients or to the workers, the redirect, HSTS) can apply; a config that asks for it is an error rather
/// than a setting silently ignored.
/// </summary>
internal static class FrontEndRules
{
    public const string SharedSocketName = "sharedSocket";

    internal static readonly Dictionary<string, FrontEndMode> Modes = new(StringComparer.Ordinal)
    {
        ["proxy"] = FrontEndMode.Proxy,
        ["sharedsocket"] = FrontEndMode.SharedSocket,
    };

    internal static readonly string[] DocumentedModes = ["proxy", SharedSocketName];

    private const string NoFrontEnd = "the workers accept connections themselves, so no front end sees the requests";

    private const string WorkersTerminateTls = "with a shared socket the workers accept the connections and terminate TLS themselves, so the supervisor has no TLS to terminate";

    private const string OwnCertificates = "point the workers at their own certificates (in worker.args or worker.env), or use the proxy front end";

    public static FrontEndMode Read(ConfigReader reader, ConfigNode node) =>
        reader.Enum(node, FrontEndMode.Proxy, Modes, DocumentedModes);

    /// <summary>
    /// Reports every key set in <paramref name="root"/> that only the proxy front end can honour, and every listener
    /// the shared socket cannot be: it takes exactly one http:// listener without "http2" (the workers get one socket,
    /// fd 3, LISTEN_FDS=1, and speak on it whatever they speak), and none of the proxy's HTTPS and HTTP/2 settings.
    /// </summary>
    public static void CheckSharedSocket(
        ConfigReader reader,
        ConfigNode frontEnd,
        IReadOnlyDictionary<string, ConfigNode> root,
        bool accessLogEnabled,
        IReadOnlyList<(ListenerConfig Listener, ConfigNode Node)>? listeners,
        bool redirectHttpToHttps,
        WorkerProtocol? protocol)
    {
        void Reject(ConfigNode key, string why, string advice = "remove one of the two") =>
            reader.Error(key, $"cannot be combined with \"frontEnd\": \"{SharedSocketName}\" ({frontEnd.Path}): {why}; {advice}");

        foreach (var key in reader.KeysSetInside(root["proxy"]))
        {
            Reject(key, $"{NoFrontEnd} to forward, retry, time out or balance");
        }

        foreach (var key in reader.KeysSetInside(root["limits"]))
        {
            Reject(key, $"{NoFrontEnd}; set request limits in the worker itself");
        }

        if (IsOn(reader, root["rateLimit"]))
        {
            Reject(root["rateLimit"], $"{NoFrontEnd} to count");
        }

        if (accessLogEnabled)
        {
            Reject(reader.KeysSetInside(root["accessLog"]).FirstOrDefault(root["accessLog"]), $"{NoFrontEnd} to log; use the worker's own access log");
        }

        foreach (var key in reader.KeysSetInside(root["loadBalancerHealth"]).Where(k => k.Path.EndsWith("path", StringComparison.OrdinalIgnoreCase)))
        {
            Reject(key, "the public port belongs to the workers; answer a load balancer's health checks on a port of their own with loadBalancerHealth.listen");
        }

        foreach (var key in reader.KeysSetInside(root["recycle"]).Where(k => k.Path.Contains("maxrequests", StringComparison.OrdinalIgnoreCase)))
        {
            Reject(key, $"{NoFrontEnd} to count; recycle by memory (recycle.maxMemoryMb) instead");
        }

        if (listeners is { Count: > 1 })
        {
            Reject(
                root["listen"],
                $"the workers accept from one shared socket (fd 3, LISTEN_FDS=1), so \"listen\" takes exactly one URL in this mode; got {listeners.Count} ({string.Join(", ", listeners.Select(l => l.Listener))})",
                "keep one, or use the proxy front end, which serves several");
        }

        foreach (var (listener, node) in listeners ?? [])
        {
            if (listener.IsHttps)
            {
                Reject(node, $"{listener.Url} is an https:// listener, but {WorkersTerminateTls}", $"give the shared socket an http:// URL (the supervisor only binds it; a worker may serve TLS on it) and {OwnCertificates}");
            }
            else if (listener.Http2)
            {
                Reject(node, $"\"http2\": true makes the proxy speak HTTP/2 without TLS to clients, and with a shared socket the clients speak to the workers directly, in whatever protocol the workers accept (a worker may well speak h2c on the socket)", "drop \"http2\", or use the proxy front end");
            }
        }

        if (IsOn(reader, root["tls"]))
        {
            Reject(root["tls"], WorkersTerminateTls, $"remove \"tls\" and {OwnCertificates}");
        }

        if (redirectHttpToHttps)
        {
            Reject(root["redirectHttpToHttps"], $"{NoFrontEnd} to redirect; let the workers redirect to HTTPS themselves");
        }

        if (IsOn(reader, root["hsts"]))
        {
            Reject(root["hsts"], $"{NoFrontEnd} to add Strict-Transport-Security to; let the workers, which terminate TLS in this mode, send it");
        }

        if (protocol == WorkerProtocol.Http2)
        {
            var node = reader.KeysSetInside(root["worker"]).FirstOrDefault(k => k.Path.EndsWith("protocol", StringComparison.OrdinalIgnoreCase), new ConfigNode(null, "$.worker.protocol"));
            Reject(node, $"\"http2\" makes the proxy talk HTTP/2 to the workers (for gRPC), and {NoFrontEnd}: gRPC clients reach the workers directly, in the workers' own protocol");
        }
    }

    /// <summary>{fd} exists only in shared-socket mode; elsewhere it would reach the worker as the literal text.</summary>
    public static void CheckFdPlaceholder(ConfigReader reader, ConfigNode args, ConfigNode env)
    {
        foreach (var node in ConfigReader.StringsInside(args).Concat(ConfigReader.StringsInside(env)))
        {
            if (node.Value!.Value.GetString()!.Contains(ArgumentPlaceholders.Fd, StringComparison.Ordinal))
            {
                reader.Error(node, $"{ArgumentPlaceholders.Fd} is the shared listening socket's file descriptor, given only with \"frontEnd\": \"{SharedSocketName}\"");
            }
        }
    }

    /// <summary>Programs known not to accept from an inherited socket: such a worker would never serve a client.</summary>
    public static void CheckCanAcceptInherited(ConfigReader reader, ConfigNode args, IReadOnlyList<string> argValues)
    {
        var module = Enumerable.Range(1, Math.Max(0, argValues.Count - 1)).FirstOrDefault(i => argValues[i] == "http.server" && argValues[i - 1] == "-m");
        if (module > 0)
        {
            reader.Error(
                new ConfigNode(null, $"{args.Path}[{module}]"),
                $"Python's http.server only listens on a port of its own and cannot accept from the shared socket that \"frontEnd\": \"{SharedSocketName}\" gives; use the proxy front end, or a server that takes an inherited socket (gunicorn, uvicorn --fd {ArgumentPlaceholders.Fd}, Node's listen({{ fd: 3 }}), Kestrel's UseSystemd())");
        }
    }

    /// <summary>With a shared socket, a worker that is given {port} but not {fd} may only ever listen on its own port.</summary>
    public static IEnumerable<string> Warnings(FrontEndMode mode, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env)
    {
        var values = args.Concat(env.Values).ToList();
        if (mode == FrontEndMode.SharedSocket
            && values.Any(v => v.Contains(ArgumentPlaceholders.Port, StringComparison.Ordinal))
            && !values.Any(v => v.Contains(ArgumentPlaceholders.Fd, StringComparison.Ordinal)))
        {
            yield return $"worker.args or worker.env passes {ArgumentPlaceholders.Port} but not {ArgumentPlaceholders.Fd}: with \"frontEnd\": \"{SharedSocketName}\" a worker must accept from the inherited socket (fd 3, LISTEN_FDS); a server that only binds its own port is never reached by clients. Servers that read LISTEN_FDS themselves (gunicorn, Kestrel's UseSystemd()) need no {ArgumentPlaceholders.Fd}.";
        }
    }

    private static bool IsOn(ConfigReader reader, ConfigNode section) =>
        (!section.IsMissing && section.Value!.Value.ValueKind != JsonValueKind.Null) || reader.KeysSetInside(section).Any();
}
