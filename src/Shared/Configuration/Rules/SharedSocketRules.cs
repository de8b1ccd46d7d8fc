using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Layout;
using Cluster.Shared.Configuration.Parsing;
using Cluster.Contract;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>
/// What each front end rules out. With a shared socket the workers accept connections themselves, so nothing of the
/// proxy (retry, limits, rate limit, access log, forwarded headers, balancing, request counts, TLS, HTTP/2 to clients
/// or to the workers, the redirect, HSTS) can apply: a config that asks for it is an error rather than a setting
/// silently ignored. The keys that need one front end say so in <see cref="ConfigLayout"/> (<see cref="FrontEndOnly"/>);
/// this checks them all, and the few rules about values: the one listener, {fd}, servers that cannot take a socket.
/// </summary>
internal static class SharedSocketRules
{
    public const string SharedSocketName = "sharedSocket";
    public const string NoFrontEnd = "the workers accept connections themselves, so no front end sees the requests";
    public const string WorkersTerminateTls = "with a shared socket the workers accept the connections and terminate TLS themselves, so the supervisor has no TLS to terminate";
    public const string OwnCertificates = "point the workers at their own certificates (in worker.args or worker.env), or use the proxy front end";
    public static readonly FrontEndOnly CountsRequests = new(FrontEndMode.Proxy, $"{NoFrontEnd} to count; recycle by memory (recycle.maxMemoryMb) instead");

    public static void Check(SupervisorConfig config, Reading reading)
    {
        var frontEnd = reading.Node("frontEnd").Path;
        void Refuse(ConfigNode node, FrontEndOnly rule) => reading.Error(node, rule.Mode == FrontEndMode.SharedSocket
            ? rule.Why
            : $"cannot be combined with \"frontEnd\": \"{SharedSocketName}\" ({frontEnd}): {rule.Why}; {rule.Advice}");

        // The shared socket is one socket (fd 3, LISTEN_FDS=1), http://, whatever the workers speak on it.
        var listeners = config.FrontEnd == FrontEndMode.SharedSocket && reading.Ok("listen") ? config.Listeners : [];
        if (listeners.Count > 1)
        {
            Refuse(reading.Node("listen"), new(FrontEndMode.Proxy, $"the workers accept from one shared socket (fd 3, LISTEN_FDS=1), so \"listen\" takes exactly one URL in this mode; got {listeners.Count} ({string.Join(", ", listeners)})", "keep one, or use the proxy front end, which serves several"));
        }

        foreach (var (listener, i) in listeners.Select((l, i) => (l, i)).Where(l => l.l.IsHttps || l.l.Http2))
        {
            Refuse(reading.Node($"listen[{i}]"), listener.IsHttps
                ? new(FrontEndMode.Proxy, $"{listener.Url} is an https:// listener, but {WorkersTerminateTls}", $"give the shared socket an http:// URL (the supervisor only binds it; a worker may serve TLS on it) and {OwnCertificates}")
                : new(FrontEndMode.Proxy, "\"http2\": true makes the proxy speak HTTP/2 without TLS to clients, and with a shared socket the clients speak to the workers directly, in whatever protocol the workers accept (a worker may well speak h2c on the socket)", "drop \"http2\", or use the proxy front end"));
        }

        var shown = ConfigLayout.Root.Show(config);
        foreach (var (path, member) in ConfigLayout.Root.Walk().Where(m => m.Member.FrontEnd is { } rule && rule.Mode != config.FrontEnd))
        {
            var rule = member.FrontEnd!;
            var refused = member.IsOptional ? reading.IsOn(path) ? [reading.Where(path)] : []
                : member.Content is not null ? reading.SetInside(path)
                : !reading.Node(path).IsMissing && reading.Ok(path) && (rule.Unless is null || !JsonNode.DeepEquals(Value(shown, path), rule.Unless)) ? [reading.Node(path)]
                : Enumerable.Empty<ConfigNode>();
            foreach (var node in refused)
            {
                Refuse(node, rule);
            }
        }

        CheckPlaceholders(config, reading);
    }

    /// <summary>The front-end rules as the schema's "if frontEnd is sharedSocket, then ..., else ...".</summary>
    public static JsonNode Schema()
    {
        var then = Refusals(ConfigLayout.Root, FrontEndMode.Proxy);
        var otherwise = Refusals(ConfigLayout.Root, FrontEndMode.SharedSocket);
        // The worker sections are in both already: gRPC workers are refused with a shared socket, accepting without.
        then["properties"]!["listen"] = ListenSchemas.OnePlainHttp;
        then["properties"]!["worker"]!["properties"]!["args"] = JsonNode.Parse("""{ "not": { "allOf": [{ "contains": { "const": "-m" } }, { "contains": { "const": "http.server" } }] } }""");
        var noFd = """{ "not": { "pattern": "\\{fd\\}" } }""";
        otherwise["properties"]!["worker"]!["properties"]!["args"] = JsonNode.Parse($$"""{ "items": {{noFd}} }""");
        otherwise["properties"]!["worker"]!["properties"]!["env"] = JsonNode.Parse($$"""{ "additionalProperties": {{noFd}} }""");
        return new JsonObject { ["if"] = JsonNode.Parse($$"""{ "properties": { "frontEnd": { "const": "{{SharedSocketName}}" } }, "required": ["frontEnd"] }"""), ["then"] = then, ["else"] = otherwise };
    }

    /// <summary>{fd} exists only with a shared socket; some servers cannot accept from one; {port} alone is suspicious.</summary>
    private static void CheckPlaceholders(SupervisorConfig config, Reading reading)
    {
        var (args, env, fd, port) = (reading.Node("worker.args").Path, reading.Node("worker.env").Path, ArgumentPlaceholders.Fd, ArgumentPlaceholders.Port);
        var texts = config.Worker.Args.Select((text, i) => (Text: text, Path: $"{args}[{i}]")).Concat(config.Worker.Env.Select(e => (Text: e.Value, Path: $"{env}.{e.Key}"))).ToList();
        if (config.FrontEnd != FrontEndMode.SharedSocket)
        {
            foreach (var (_, path) in texts.Where(t => t.Text.Contains(fd, StringComparison.Ordinal)))
            {
                reading.Error(new ConfigNode(null, path, path), $"{fd} is the shared listening socket's file descriptor, given only with \"frontEnd\": \"{SharedSocketName}\"");
            }
        }
        else if (config.Worker.Args.Contains("-m") && config.Worker.Args.ToList().IndexOf("http.server") is >= 0 and var module)
        {
            reading.Error(
                new ConfigNode(null, texts[module].Path, texts[module].Path),
                $"Python's http.server only listens on a port of its own and cannot accept from the shared socket that \"frontEnd\": \"{SharedSocketName}\" gives; use the proxy front end, or a server that takes an inherited socket (gunicorn, uvicorn --fd {fd}, Node's listen({{ fd: 3 }}), Kestrel's UseSystemd())");
        }

        if (config.FrontEnd == FrontEndMode.SharedSocket && texts.Any(t => t.Text.Contains(port, StringComparison.Ordinal)) && !texts.Any(t => t.Text.Contains(fd, StringComparison.Ordinal)))
        {
            reading.Warn($"worker.args or worker.env passes {port} but not {fd}: with \"frontEnd\": \"{SharedSocketName}\" a worker must accept from the inherited socket (fd 3, LISTEN_FDS); a server that only binds its own port is never reached by clients. Servers that read LISTEN_FDS themselves (gunicorn, Kestrel's UseSystemd()) need no {fd}.");
        }
    }

    /// <summary>The schema that refuses, under the other front end, every member that needs <paramref name="mode"/>.</summary>
    private static JsonObject Refusals(Section section, FrontEndMode mode)
    {
        var properties = new JsonObject();
        foreach (var member in section.Members)
        {
            if (member.FrontEnd?.Mode == mode)
            {
                properties[member.Name] = member.IsOptional ? new JsonObject { ["type"] = "null" }
                    : member.Content is not null ? new JsonObject { ["maxProperties"] = 0 }
                    : member.FrontEnd.Unless is { } allowed ? new JsonObject { ["const"] = allowed.DeepClone() }
                    : false;
            }
            else if (member.Content is not null && Refusals(member.Content, mode) is { Count: > 0 } inner)
            {
                properties[member.Name] = inner;
            }
        }

        return properties.Count == 0 ? new JsonObject() : new JsonObject { ["properties"] = properties };
    }

    private static JsonNode? Value(JsonObject shown, string path) => path.Split('.').Aggregate((JsonNode?)shown, (node, key) => node?[key]);
}
