using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Layout.Kinds;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>Restart delays, health thresholds and readiness checks that only make sense together.</summary>
internal static class LifecycleRules
{
    public static void Check(SupervisorConfig config, Reading reading)
    {
        foreach (var app in config.Apps)
        {
            Check(app, AppRules.KeyPrefix(reading, app), reading);
        }
    }

    private static void Check(AppConfig app, string at, Reading reading)
    {
        var restart = app.Restart;
        if (restart.MaxDelay < restart.Delay && reading.Ok(at + "restart"))
        {
            var node = reading.Node(at + "restart.maxDelay");
            reading.Error(node.IsMissing ? reading.Node(at + "restart.delay") : node, $"restart.maxDelay ({DurationKind.Format(restart.MaxDelay)}) must not be shorter than restart.delay ({DurationKind.Format(restart.Delay)})", ConfigErrorKind.Relation);
        }

        var health = app.Health;
        if (health.RestartThreshold < health.UnhealthyThreshold && reading.Ok(at + "health"))
        {
            reading.Error(reading.Node(at + "health.restartThreshold"), $"health.restartThreshold ({health.RestartThreshold}) must not be smaller than health.unhealthyThreshold ({health.UnhealthyThreshold}): a worker leaves rotation before it is restarted", ConfigErrorKind.Relation);
        }

        var readiness = app.Worker.Readiness;
        var chosen = new[] { (readiness.HttpPath is not null, "path"), (readiness.Notify, "notify"), (readiness.Accepting, "accepting") }
            .Where(c => c.Item1).Select(c => reading.Node($"{at}worker.readiness.{c.Item2}")).ToList();
        if (chosen.Count > 1)
        {
            reading.Error(chosen[1], $"readiness.path, readiness.notify and readiness.accepting are different readiness checks; keep one (also set: {string.Join(", ", chosen.Where(c => c.Path != chosen[1].Path).Select(c => c.Path))})");
        }
    }

    /// <summary>One readiness check at most: no two of a path, notify true and accepting true.</summary>
    public static JsonNode Schema()
    {
        const string Path = """{ "required": ["path"] }""", Notify = """{ "properties": { "notify": { "const": true } }, "required": ["notify"] }""", Accepting = """{ "properties": { "accepting": { "const": true } }, "required": ["accepting"] }""";
        return ConfigRules.At("worker.readiness", JsonNode.Parse($$"""
            { "not": { "anyOf": [{ "allOf": [{{Path}}, {{Notify}}] }, { "allOf": [{{Path}}, {{Accepting}}] }, { "allOf": [{{Notify}}, {{Accepting}}] }] } }
            """)!);
    }
}
