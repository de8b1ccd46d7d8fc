using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>
/// One key or section of supervisor.json, as the schema, the docs, the environment variables and the rules see it:
/// its <see cref="Meaning"/> in Markdown, its keys (<see cref="Content"/>) when it is a section, and whether it is
/// optional (off when absent or null), a setting ("$schema" is not), a map whose keys are the user's (worker.env).
/// </summary>
internal abstract class Member(string name, string meaning, Applies applies, FrontEndOnly? frontEnd)
{
    public string Name => name;
    public string Meaning => meaning;
    public Applies Applies => applies;
    public FrontEndOnly? FrontEnd => frontEnd;
    public abstract Section? Content { get; }
    public virtual bool IsOptional => false;
    public virtual bool IsSetting => true;
    public virtual bool IsMap => false;
    public virtual bool IsRequired => false;

    /// <summary>The keys of a value that may be written as an object (the range of "workers"), for the docs; null for most.</summary>
    public virtual Section? ObjectForm => null;

    /// <summary>Whether the schema of the section it is in requires it: a required key, or a section with one.</summary>
    public virtual bool RequiredInSchema => IsRequired || (!IsOptional && Content is { } content && content.Members.Any(k => k.IsRequired));

    /// <summary>The path of its keys, from its own: "worker" for "worker.command"; "apps.NAME" for "apps.NAME.hosts".</summary>
    public virtual string InnerPath(string path) => path;

    /// <summary>The docs' "value" and "default" columns.</summary>
    public abstract string Values { get; }
    public abstract string DefaultText { get; }
    public abstract JsonObject Schema(SchemaDefinitions definitions);

    /// <summary>
    /// A schema with the meaning as its description (Markdown links as their text: an editor's tooltip is plain) and the
    /// default; draft-07 ignores the siblings of "$ref", so a reference is wrapped.
    /// </summary>
    protected JsonObject Annotated(JsonObject schema, JsonNode? @default = null)
    {
        schema = schema.ContainsKey("$ref") ? new JsonObject { ["allOf"] = new JsonArray(schema) } : schema;
        schema["description"] = System.Text.RegularExpressions.Regex.Replace(meaning, @"\[([^\]]+)\]\([^)]*\)", "$1");
        if (@default is not null)
        {
            schema["default"] = @default.DeepClone();
        }

        return schema;
    }
}

/// <summary>A member of a section whose record is <typeparamref name="T"/>: reads into it, shows it, compares two.</summary>
internal abstract class Member<T>(string name, string meaning, Applies applies, FrontEndOnly? frontEnd) : Member(name, meaning, applies, frontEnd)
{
    /// <summary>Reads <paramref name="node"/> (which may be absent) into <paramref name="record"/>.</summary>
    public abstract T Read(Reading reading, ConfigNode node, T record);

    /// <summary>The value as a user writes it; null with <paramref name="present"/> false when it is not set.</summary>
    public abstract JsonNode? Show(T record, out bool present);

    /// <summary><paramref name="loaded"/> with the running values of what only a supervisor restart can change.</summary>
    public abstract T Keep(T running, T loaded);
    public abstract void Compare(T running, T loaded, string path, List<ConfigChange> changes);
}
