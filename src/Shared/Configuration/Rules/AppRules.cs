using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Layout;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>
/// What makes a set of apps one that routes every request to at most one app: no two apps with a route in common, at
/// most one catch-all, and routes only for apps the top-level front end serves (an app with a "listen" of its own is
/// served there alone). And with several apps, worker files named by app, as each app numbers its workers from 0.
/// </summary>
internal static class AppRules
{
    private static readonly string[] RouteKeys = ["hosts", "paths"];

    /// <summary>No host (or path) given: any.</summary>
    private static readonly string?[] Any = [null];

    public static void Check(SupervisorConfig config, Reading reading)
    {
        // The short form has no keys of routing: its one app is served by the front end at the top.
        foreach (var app in reading.Node(AppsMember.Key).IsMissing ? [] : config.Apps)
        {
            var at = KeyPrefix(reading, app);
            if (app.HasOwnListeners)
            {
                foreach (var (listener, i) in app.Listeners.Select((l, i) => (l, i)).Where(l => l.l.IsHttps))
                {
                    reading.Error(reading.Node($"{at}listen[{i}]"), $"{listener.Url}: an app's own listeners are http:// (with \"http2\" for h2c, or a shared socket); the certificates (\"tls\") serve the https:// listeners of the top-level \"listen\", so route the app there by its \"hosts\"");
                }

                foreach (var key in RouteKeys.Where(k => !reading.Node(at + k).IsMissing && (k == "hosts" ? app.Hosts : app.Paths).Count > 0))
                {
                    reading.Error(reading.Node(at + key), $"an app with a \"listen\" of its own ({reading.Node(at + "listen").Path}) is served there alone and takes no part in host and path routing; remove \"{key}\", or \"listen\" to route it through the front end at the top");
                }
            }

            if (!reading.Node(at + "frontEnd").IsMissing && !app.HasOwnListeners && reading.Ok(at + "listen"))
            {
                reading.Error(reading.Node(at + "frontEnd"), "an app's \"frontEnd\" is the front end of its own \"listen\", and it has none: add \"listen\", or remove \"frontEnd\" (the front end at the top then serves it)");
            }

            if (app.StripPath && app.Paths.Count == 0 && reading.Ok(at + "paths"))
            {
                reading.Error(reading.Node(at + "stripPath"), "\"stripPath\" takes off the path prefix a request matched, and the app has no \"paths\"");
            }
        }

        CheckWorkerFiles(config, reading);
        var routed = config.Apps.Where(a => !a.HasOwnListeners).ToList();
        if (routed.Where(a => a.IsCatchAll).Skip(1).FirstOrDefault() is { } second)
        {
            var first = routed.First(a => a.IsCatchAll);
            reading.Error(reading.Node($"{AppsMember.Key}.{second.Name}"), $"apps.{first.Name} already serves every request no other app matches (it has neither \"hosts\" nor \"paths\"); there is one such app at most: give apps.{second.Name} \"hosts\" or \"paths\"", ConfigErrorKind.Relation);
        }

        for (var later = 1; later < routed.Count; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                // Two catch-alls are one too many, as said above.
                if (!routed[later].IsCatchAll && SharedRoute(routed[earlier], routed[later]) is { } route)
                {
                    var (key, index) = routed[later].Hosts.Count > 0 ? ("hosts", IndexOf(routed[later].Hosts, route.Host!)) : ("paths", IndexOf(routed[later].Paths, route.Path!));
                    var node = reading.Node($"{KeyPrefix(reading, routed[later])}{key}");
                    reading.Error(new ConfigNode(null, $"{node.Path}[{index}]", $"{node.Key}[{index}]"), $"apps.{routed[earlier].Name} has the same route ({Describe(route)}): a request can reach one app only; give one of them another host or path", ConfigErrorKind.Relation);
                }
            }
        }
    }

    /// <summary>Two apps' worker 0 would write one file: with several apps, log.workerFiles names the app.</summary>
    private static void CheckWorkerFiles(SupervisorConfig config, Reading reading)
    {
        if (config.WorkerFilesCollide && reading.Ok("log.workerFiles"))
        {
            reading.Error(reading.Node("log.workerFiles"), $"with several apps ({string.Join(", ", config.Apps.Select(a => a.Name))}) each numbers its workers from 0, so the workers of the same id of two apps would write the same file ({Path.GetFileName(config.Log.WorkerFiles)}): add {LogConfig.AppPlaceholder} to the file name, e.g. \"logs/{LogConfig.AppPlaceholder}-worker-{{id}}.log\"");
        }
    }

    /// <summary>Where an app's keys are: "apps.shop." in the "apps" form, nothing in the short form.</summary>
    public static string KeyPrefix(Reading reading, AppConfig app) => reading.Node(AppsMember.Key).IsMissing ? string.Empty : $"{AppsMember.Key}.{app.Name}.";

    /// <summary>At the top: "worker" (the short form) or "apps", and not both.</summary>
    public static IEnumerable<JsonNode> Schema()
    {
        yield return JsonNode.Parse("""{ "anyOf": [{ "required": ["worker"] }, { "required": ["apps"] }] }""")!;
        var shortForm = new JsonObject([.. ConfigLayout.ShortFormKeys.Select(k => KeyValuePair.Create(k, (JsonNode?)false))]);
        yield return new JsonObject { ["if"] = JsonNode.Parse("""{ "required": ["apps"] }"""), ["then"] = new JsonObject { ["properties"] = shortForm } };
        yield return JsonNode.Parse("""{ "if": { "required": ["apps"], "properties": { "apps": { "minProperties": 2 } } }, "then": { "properties": { "log": { "properties": { "workerFiles": { "pattern": "\\{app\\}" } } } } } }""")!;
    }

    /// <summary>Within each app: routes only without a listener of its own; "frontEnd" only with one; "stripPath" only with paths.</summary>
    public static IEnumerable<JsonNode> AppSchema()
    {
        yield return JsonNode.Parse($$"""{ "if": { "required": ["listen"] }, "then": { "properties": { "hosts": { "maxItems": 0 }, "paths": { "maxItems": 0 }, "listen": { "not": {{ListenSchemas.HasHttps.ToJsonString()}} } } } }""")!;
        yield return JsonNode.Parse("""{ "dependencies": { "frontEnd": ["listen"] } }""")!;
        yield return JsonNode.Parse("""{ "if": { "properties": { "stripPath": { "const": true } }, "required": ["stripPath"] }, "then": { "required": ["paths"], "properties": { "paths": { "minItems": 1 } } } }""")!;
        yield return LifecycleRules.Schema();
    }

    /// <summary>A (host, path) that both apps match (null for "any"), or null when no request can match both.</summary>
    private static (string? Host, string? Path)? SharedRoute(AppConfig a, AppConfig b)
    {
        IEnumerable<string?> Hosts(AppConfig app) => app.Hosts.Count == 0 ? Any : app.Hosts.Cast<string?>();
        IEnumerable<string?> Paths(AppConfig app) => app.Paths.Count == 0 ? Any : app.Paths.Cast<string?>();
        foreach (var host in Hosts(b).Where(h => Hosts(a).Any(other => Same(other, h))))
        {
            foreach (var path in Paths(b).Where(p => Paths(a).Any(other => Same(other, p))))
            {
                return (host, path);
            }
        }

        return null;
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static int IndexOf(IReadOnlyList<string> list, string item) => list.ToList().FindIndex(i => Same(i, item));

    private static string Describe((string? Host, string? Path) route) =>
        string.Join(" ", new[] { route.Host is null ? "any host" : $"host {route.Host}", route.Path is null ? "any path" : $"path {route.Path}" });
}
