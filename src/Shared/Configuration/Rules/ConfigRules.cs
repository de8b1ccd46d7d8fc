using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Layout;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Rules;

/// <summary>
/// The rules that relate several keys, in one place, run once every key has been read. Each rule sits beside the JSON
/// Schema that states it for editors, where a schema can (see <see cref="Schema"/>); what no schema can state (two
/// durations compared, two ports equal, files on this machine) is listed in docs/configuration.md.
/// </summary>
internal static class ConfigRules
{
    public static void Check(SupervisorConfig config, Reading reading)
    {
        AppRules.Check(config, reading);
        TlsRules.Check(config, reading);
        LifecycleRules.Check(config, reading);
        PoolRules.Check(config, reading);
        SharedSocketRules.Check(config, reading);
        PortAndSocketRules.Check(config, reading);
        WorkerUserRules.Check(config, reading);
    }

    /// <summary>The root schema's "allOf": one entry per rule a schema can state.</summary>
    public static IEnumerable<JsonNode> Schema(SchemaDefinitions definitions) => [.. AppRules.Schema(), .. TlsRules.Schema(definitions), LifecycleRules.Schema(), SharedSocketRules.Schema(), WorkerUserRules.Schema()];

    /// <summary>{"properties": {a: {"properties": {b: inner}}}} for the path "a.b".</summary>
    public static JsonNode At(string path, JsonNode inner)
    {
        foreach (var key in path.Split('.').Reverse())
        {
            inner = new JsonObject { ["properties"] = new JsonObject { [key] = inner } };
        }

        return inner;
    }

}
