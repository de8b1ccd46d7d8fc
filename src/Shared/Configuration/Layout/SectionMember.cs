using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>
/// A section placed in a parent record; an optional one is off (null) when absent or null. Its meaning is the
/// section's, unless the placement says what the section means there (<paramref name="meaning"/>).
/// </summary>
internal sealed class SectionMember<T, TC>(Section<TC> section, Func<T, TC?> get, Func<T, TC?, T> set, bool optional, string? meaning = null, string? defaultText = null)
    : Member<T>(section.Name, meaning ?? section.Meaning, section.Applies, section.FrontEnd)
    where TC : class
{
    public override Section Content => section;
    public override bool IsOptional => optional;
    public override string Values => optional ? "object or null" : "object";
    public override string DefaultText => defaultText ?? (optional ? "off" : string.Empty);

    public override T Read(Reading reading, ConfigNode node, T record) =>
        optional && !reading.IsOn(node.Key) ? set(record, null) : set(record, section.Read(reading, node, section.Empty));

    public override JsonNode? Show(T record, out bool present)
    {
        var value = get(record);
        present = value is not null;
        return value is null ? null : section.Show(value);
    }

    public override T Keep(T running, T loaded)
    {
        var (before, after) = (get(running), get(loaded));
        if (before is null || after is null)
        {
            return (before is null) != (after is null) && Applies == Applies.Restart ? set(loaded, before) : loaded;
        }

        var kept = section.Keep(before, after);
        return ReferenceEquals(kept, after) ? loaded : set(loaded, kept);
    }

    public override void Compare(T running, T loaded, string path, List<ConfigChange> changes)
    {
        var (before, after) = (get(running), get(loaded));
        if (before is not null && after is not null)
        {
            section.Compare(before, after, path, changes);
        }
        else if (before != after)
        {
            changes.Add(new ConfigChange(path, Applies, $"{path} ({(before is null ? "added" : "removed")})"));
        }
    }

    public override JsonObject Schema(SchemaDefinitions definitions) =>
        Annotated(optional ? new JsonObject { ["oneOf"] = new JsonArray(section.Schema(definitions), new JsonObject { ["type"] = "null" }) } : section.Schema(definitions));
}
