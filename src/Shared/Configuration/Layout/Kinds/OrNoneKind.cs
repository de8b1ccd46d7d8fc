using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>
/// A value that may be off (null): when the key is absent and has no default, or, with <paramref name="takesNull"/>,
/// when it is written null ("maxSize": null, no size limit).
/// </summary>
internal sealed class OrNoneKind<TV>(Kind<TV> inner, bool takesNull) : Kind<TV?>
    where TV : struct
{
    public override string Values => takesNull ? $"{inner.Values}, or `null`" : inner.Values;
    public override bool TakesNull => takesNull;

    public override bool TryRead(Reading reading, ConfigNode node, out TV? value)
    {
        var read = default(TV);
        var ok = (takesNull && node.IsNull) || inner.TryRead(reading, node, out read);
        value = ok && !node.IsNull ? read : null;
        return ok;
    }

    public override JsonNode? Show(TV? value) => value is null ? null : inner.Show(value.Value);

    public override JsonObject Schema(SchemaDefinitions definitions) =>
        takesNull ? new JsonObject { ["oneOf"] = new JsonArray(inner.Schema(definitions), new JsonObject { ["type"] = "null" }) } : inner.Schema(definitions);
}
