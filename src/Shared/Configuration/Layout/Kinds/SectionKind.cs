using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout.Kinds;

/// <summary>A section as the value of a key (the items of tls.certificates): read, shown and described as the section.</summary>
internal sealed class SectionKind<T>(Section<T> section) : Kind<T>
    where T : class
{
    public override string Values => $"object ({string.Join(", ", section.Names.Select(n => $"`{n}`"))})";

    public override bool TryRead(Reading reading, ConfigNode node, out T value)
    {
        value = section.Read(reading, node, section.Empty);
        return reading.Ok(node.Key);
    }

    public override JsonNode? Show(T value) => section.Show(value);
    public override JsonObject Schema(SchemaDefinitions definitions) => section.Schema(definitions);
}
