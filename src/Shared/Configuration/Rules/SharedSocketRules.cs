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
/// Each app is checked against the front end that serves it: its own (with a "listen" of its own), else the top-level one.
/// A kernel-balanced socket cannot route, so a shared socket for the whole machine serves one app.
/// </summary>
internal static class SharedSocketRules
{
    public const string SharedSocketName = "sharedSocket";
    public const string NoFrontEnd = "the workers accept connections themselves, so no front end sees the requests";
    public const string WorkersTerminateTls = "with a shared socket the workers accept the connections and terminate TLS themselves, so the supervisor has no TLS to terminate";
    public const string OwnCertificates = "point the workers at their own certificates (in worker.args or worker.env), or use the proxy front end";
    public static readonly FrontEndOnly CountsRequests = new(FrontEndMode.Proxy, $"{NoFrontEnd} to count; recycle by memory (recycle.maxMemoryMb) instead");
    private const string NotHttpServer = """{ "not": { "allOf": [{ "contains": { "const": "-m" } }, { "contains": { "const": "http.server" } }] } }""";
    private const string NoFd = """{ "not": { "pattern": "\\{fd\\}" } }""";

    public static void Check(SupervisorConfig config, Reading reading)
    {
        var shown = ConfigLayout.Root.Show(config);
        var machine = config.FrontEnd;
        if (machine == FrontEndMode.SharedSocket)
        {
            CheckListeners(reading.Ok("listen") ? config.Listeners : [], "listen", "frontEnd", reading);
            if (!config.IsShortForm && config.Apps.Count > 1)
            {
                reading.Error(reading.Node("frontEnd"), $"a shared socket for the whole machine serves one app: the kernel hands each connection to whichever worker accepts it, so it cannot route by host or path, and there are {config.Apps.Count} apps ({string.Join(", ", config.Apps.Select(a => a.Name))}); use the proxy front end at the top, and give an app that should have a shared socket a \"listen\" of its own with \"frontEnd\": \"{SharedSocketName}\"");
            }

            foreach (var app in config.Apps.Where(a => a.HasOwnListeners))
            {
                reading.Error(reading.Node($"{AppRules.KeyPrefix(reading, app)}listen"), $"with \"frontEnd\": \"{SharedSocketName}\" at the top, its one app is served on the top-level \"listen\"; an app of its own \"listen\" needs the proxy front end at the top");
            }
        }

        Refuse(ConfigLayout.Root.Walk(m => m is not ShortFormMember and not AppsMember), string.Empty, machine, "frontEnd", shown, reading);
        foreach (var app in config.Apps)
        {
            var at = AppRules.KeyPrefix(reading, app);
            var own = app.HasOwnListeners && machine != FrontEndMode.SharedSocket;
            var mode = own ? app.FrontEnd : machine;
            var frontEnd = own ? $"{at}frontEnd" : "frontEnd";
            if (own && mode == FrontEndMode.SharedSocket)
            {
                CheckListeners(reading.Ok($"{at}listen") ? app.Listeners : [], $"{at}listen", frontEnd, reading);
            }

            // The short form places only the worker keys at the top ("proxy" there is the machine's).
            var members = ConfigLayout.App.Walk(m => at.Length > 0 || ConfigLayout.ShortFormKeys.Contains(m.Name));
            Refuse(members, at, mode, frontEnd, shown, reading);
            CheckPlaceholders(app, at, mode, frontEnd, reading);
        }
    }

    /// <summary>The front-end rules as the schema's "if frontEnd is sharedSocket, then ..., else ...", at the top and per app.</summary>
    public static JsonNode Schema()
    {
        var then = Refusals(ConfigLayout.Root, FrontEndMode.Proxy);
        var otherwise = Refusals(ConfigLayout.Root, FrontEndMode.SharedSocket);
        // The worker sections are in both already: gRPC workers are refused with a shared socket, accepting without.
        then["properties"]!["listen"] = ListenSchemas.OnePlainHttp;
        then["properties"]!["worker"]!["properties"]!["args"] = JsonNode.Parse(NotHttpServer);
        otherwise["properties"]!["worker"]!["properties"]!["args"] = JsonNode.Parse($$"""{ "items": {{NoFd}} }""");
        otherwise["properties"]!["worker"]!["properties"]!["env"] = JsonNode.Parse($$"""{ "additionalProperties": {{NoFd}} }""");

        // A shared socket at the top: one app, served on the top-level listen.
        var sharedApp = AppRefusals(FrontEndMode.Proxy);
        sharedApp["properties"]!["listen"] = false;
        sharedApp["properties"]!["frontEnd"] = false;
        then["properties"]!["apps"] = new JsonObject { ["maxProperties"] = 1, ["additionalProperties"] = sharedApp };

        // The proxy at the top: each app by its own front end, when it has one.
        var ownShared = AppRefusals(FrontEndMode.Proxy);
        ownShared["properties"]!["listen"] = ListenSchemas.OnePlainHttp;
        otherwise["properties"]!["apps"] = new JsonObject
        {
            ["additionalProperties"] = new JsonObject { ["if"] = IsShared(), ["then"] = ownShared, ["else"] = AppRefusals(FrontEndMode.SharedSocket) },
        };
        return new JsonObject { ["if"] = IsShared(), ["then"] = then, ["else"] = otherwise };
    }

    private static JsonNode IsShared() => JsonNode.Parse($$"""{ "properties": { "frontEnd": { "const": "{{SharedSocketName}}" } }, "required": ["frontEnd"] }""")!;

    /// <summary>What an app's schema refuses under <paramref name="mode"/>'s other front end, placeholders included.</summary>
    private static JsonObject AppRefusals(FrontEndMode mode)
    {
        var refusals = Refusals(ConfigLayout.App, mode);
        refusals["properties"] ??= new JsonObject();
        var worker = refusals["properties"]!["worker"] ??= new JsonObject { ["properties"] = new JsonObject() };
        if (mode == FrontEndMode.Proxy)
        {
            worker["properties"]!["args"] = JsonNode.Parse(NotHttpServer);
        }
        else
        {
            worker["properties"]!["args"] = JsonNode.Parse($$"""{ "items": {{NoFd}} }""");
            worker["properties"]!["env"] = JsonNode.Parse($$"""{ "additionalProperties": {{NoFd}} }""");
        }

        return refusals;
    }

    /// <summary>The shared socket is one socket (fd 3, LISTEN_FDS=1), http://, whatever the workers speak on it.</summary>
    private static void CheckListeners(IReadOnlyList<ListenerConfig> listeners, string key, string frontEnd, Reading reading)
    {
        if (listeners.Count > 1)
        {
            Refuse(reading.Node(key), new(FrontEndMode.Proxy, $"the workers accept from one shared socket (fd 3, LISTEN_FDS=1), so \"listen\" takes exactly one URL in this mode; got {listeners.Count} ({string.Join(", ", listeners)})", "keep one, or use the proxy front end, which serves several"), frontEnd, reading);
        }

        foreach (var (listener, i) in listeners.Select((l, i) => (l, i)).Where(l => l.l.IsHttps || l.l.Http2))
        {
            Refuse(reading.Node($"{key}[{i}]"), listener.IsHttps
                ? new(FrontEndMode.Proxy, $"{listener.Url} is an https:// listener, but {WorkersTerminateTls}", $"give the shared socket an http:// URL (the supervisor only binds it; a worker may serve TLS on it) and {OwnCertificates}")
                : new(FrontEndMode.Proxy, "\"http2\": true makes the proxy speak HTTP/2 without TLS to clients, and with a shared socket the clients speak to the workers directly, in whatever protocol the workers accept (a worker may well speak h2c on the socket)", "drop \"http2\", or use the proxy front end"), frontEnd, reading);
        }
    }

    /// <summary>Every key of <paramref name="members"/> (under <paramref name="at"/>) that needs the front end other than <paramref name="mode"/>.</summary>
    private static void Refuse(IEnumerable<(string Path, Member Member)> members, string at, FrontEndMode mode, string frontEnd, JsonObject shown, Reading reading)
    {
        foreach (var (relative, member) in members.Where(m => m.Member.FrontEnd is { } rule && rule.Mode != mode))
        {
            var (path, rule) = (at + relative, member.FrontEnd!);
            var refused = member.IsOptional ? reading.IsOn(path) ? [reading.Where(path)] : []
                : member.Content is not null ? reading.SetInside(path)
                : !reading.Node(path).IsMissing && reading.Ok(path) && (rule.Unless is null || !JsonNode.DeepEquals(Value(shown, path), rule.Unless)) ? [reading.Node(path)]
                : Enumerable.Empty<ConfigNode>();
            foreach (var node in refused)
            {
                Refuse(node, rule, frontEnd, reading);
            }
        }
    }

    private static void Refuse(ConfigNode node, FrontEndOnly rule, string frontEnd, Reading reading) => reading.Error(node, rule.Mode == FrontEndMode.SharedSocket
        ? rule.Why
        : $"cannot be combined with \"frontEnd\": \"{SharedSocketName}\" ({reading.Node(frontEnd).Path}): {rule.Why}; {rule.Advice}");

    /// <summary>{fd} exists only with a shared socket; some servers cannot accept from one; {port} alone is suspicious.</summary>
    private static void CheckPlaceholders(AppConfig app, string at, FrontEndMode mode, string frontEnd, Reading reading)
    {
        var worker = app.Worker;
        var (args, env, fd, port) = (reading.Node($"{at}worker.args").Path, reading.Node($"{at}worker.env").Path, ArgumentPlaceholders.Fd, ArgumentPlaceholders.Port);
        var texts = worker.Args.Select((text, i) => (Text: text, Path: $"{args}[{i}]")).Concat(worker.Env.Select(e => (Text: e.Value, Path: $"{env}.{e.Key}"))).ToList();
        if (mode != FrontEndMode.SharedSocket)
        {
            foreach (var (_, path) in texts.Where(t => t.Text.Contains(fd, StringComparison.Ordinal)))
            {
                reading.Error(new ConfigNode(null, path, path), $"{fd} is the shared listening socket's file descriptor, given only with \"frontEnd\": \"{SharedSocketName}\"");
            }
        }
        else if (worker.Args.Contains("-m") && worker.Args.ToList().IndexOf("http.server") is >= 0 and var module)
        {
            reading.Error(
                new ConfigNode(null, texts[module].Path, texts[module].Path),
                $"Python's http.server only listens on a port of its own and cannot accept from the shared socket that \"frontEnd\": \"{SharedSocketName}\" ({reading.Node(frontEnd).Path}) gives; use the proxy front end, or a server that takes an inherited socket (gunicorn, uvicorn --fd {fd}, Node's listen({{ fd: 3 }}), Kestrel's UseSystemd())");
        }

        if (mode == FrontEndMode.SharedSocket && texts.Any(t => t.Text.Contains(port, StringComparison.Ordinal)) && !texts.Any(t => t.Text.Contains(fd, StringComparison.Ordinal)))
        {
            reading.Warn($"{at}worker.args or {at}worker.env passes {port} but not {fd}: with \"frontEnd\": \"{SharedSocketName}\" a worker must accept from the inherited socket (fd 3, LISTEN_FDS); a server that only binds its own port is never reached by clients. Servers that read LISTEN_FDS themselves (gunicorn, Kestrel's UseSystemd()) need no {fd}.");
        }
    }

    /// <summary>The schema that refuses, under the other front end, every member that needs <paramref name="mode"/>.</summary>
    private static JsonObject Refusals(Section section, FrontEndMode mode)
    {
        var properties = new JsonObject();
        foreach (var member in section.Members.Where(m => m is not AppsMember))
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
