using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Layout.Kinds;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>Restart delays, health thresholds and readiness checks that only make sense together.</summary>
internal static class LifecycleRules
{
    public static void Check(SupervisorConfig config, Reading reading)
    {
        var restart = config.Restart;
        if (restart.MaxDelay < restart.Delay && reading.Ok("restart"))
        {
            var node = reading.Node("restart.maxDelay");
            reading.Error(node.IsMissing ? reading.Node("restart.delay") : node, $"restart.maxDelay ({DurationKind.Format(restart.MaxDelay)}) must not be shorter than restart.delay ({DurationKind.Format(restart.Delay)})", ConfigErrorKind.Relation);
        }

        var health = config.Health;
        if (health.RestartThreshold < health.UnhealthyThreshold && reading.Ok("health"))
        {
            reading.Error(reading.Node("health.restartThreshold"), $"health.restartThreshold ({health.RestartThreshold}) must not be smaller than health.unhealthyThreshold ({health.UnhealthyThreshold}): a worker leaves rotation before it is restarted", ConfigErrorKind.Relation);
        }

        var readiness = config.Worker.Readiness;
        var chosen = new[] { (readiness.HttpPath is not null, "path"), (readiness.Notify, "notify"), (readiness.Accepting, "accepting") }
            .Where(c => c.Item1).Select(c => reading.Node($"worker.readiness.{c.Item2}")).ToList();
        if (chosen.Count > 1)
        {
            reading.Error(chosen[1], $"readiness.path, readiness.notify and readiness.accepting are different readiness checks; keep one (also set: {string.Join(", ", chosen.Where(c => c.Path != chosen[1].Path).Select(c => c.Path))})");
        }
    }

    public static IEnumerable<JsonObject> Schema()
    {
        JsonObject[] checks = [new() { ["required"] = new JsonArray("path") }, ConfigRules.Is("notify", true), ConfigRules.Is("accepting", true)];
        var pairs = new JsonArray();
        for (var i = 0; i < checks.Length; i++)
        {
            for (var j = i + 1; j < checks.Length; j++)
            {
                pairs.Add((JsonNode)new JsonObject { ["allOf"] = new JsonArray(checks[i].DeepClone(), checks[j].DeepClone()) });
            }
        }

        yield return ConfigRules.At("worker.readiness", new JsonObject { ["not"] = new JsonObject { ["anyOf"] = pairs } });
    }
}
