using System.Text.Json.Nodes;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>The schema's "definitions": each shape used by several keys (a duration range, a listener) stated once.</summary>
internal sealed class SchemaDefinitions
{
    public JsonObject All { get; } = [];

    public JsonObject Reference(string name, Func<JsonObject> define)
    {
        if (!All.ContainsKey(name))
        {
            All[name] = define();
        }

        return new JsonObject { ["$ref"] = $"#/definitions/{name}" };
    }
}
