using System.Text.Json.Nodes;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>An object of supervisor.json: its keys, in the order the docs and messages list them.</summary>
internal abstract class Section(string name, string meaning, Applies applies, FrontEndOnly? frontEnd)
{
    public string Name => name;
    public string Meaning => meaning;
    public Applies Applies => applies;
    public FrontEndOnly? FrontEnd => frontEnd;
    public abstract IReadOnlyList<Member> Members { get; }
    public IReadOnlyList<string> Names => [.. Members.Select(m => m.Name)];

    /// <summary>Every member at any depth, with its dotted path ("worker.readiness.path").</summary>
    public IEnumerable<(string Path, Member Member)> Walk(string prefix = "") => Walk(_ => true, prefix);

    /// <summary>Like <see cref="Walk(string)"/>, over the members of this section that <paramref name="include"/> takes (and all under them).</summary>
    public IEnumerable<(string Path, Member Member)> Walk(Func<Member, bool> include, string prefix = "")
    {
        foreach (var member in Members.Where(include))
        {
            var path = prefix + member.Name;
            yield return (path, member);
            foreach (var inner in member.Content?.Walk(member.InnerPath(path) + ".") ?? [])
            {
                yield return inner;
            }
        }
    }

    public JsonObject Schema(SchemaDefinitions definitions)
    {
        var properties = new JsonObject();
        foreach (var member in Members)
        {
            properties[member.Name] = member.Schema(definitions);
        }

        var schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = properties };
        // A section with a required key is required itself (as "worker" for "worker.command").
        if (Members.Where(m => m.RequiredInSchema).Select(m => (JsonNode?)m.Name).ToArray() is { Length: > 0 } required)
        {
            schema["required"] = new JsonArray(required);
        }

        return schema;
    }
}
