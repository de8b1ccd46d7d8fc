using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>One key or section of supervisor.json, as the schema, the docs, the environment variables and the rules see it.</summary>
internal abstract class Member(string name, string meaning, Applies applies, FrontEndOnly? frontEnd)
{
    public string Name => name;

    /// <summary>What it does, in Markdown: the docs' "meaning" column and the schema's description.</summary>
    public string Meaning => meaning;

    public Applies Applies => applies;

    public FrontEndOnly? FrontEnd => frontEnd;

    /// <summary>Its keys when it is a section; null for a key.</summary>
    public abstract Section? Content { get; }

    /// <summary>A section that may be left out or null (off).</summary>
    public virtual bool IsOptional => false;

    /// <summary>False for "$schema", which is there for editors and not a setting.</summary>
    public virtual bool IsSetting => true;

    /// <summary>An object whose keys are the user's own (worker.env): set as a whole.</summary>
    public virtual bool IsMap => false;

    public virtual bool IsRequired => false;

    /// <summary>The docs' "value" and "default" columns.</summary>
    public abstract string Values { get; }

    public abstract string DefaultText { get; }

    public abstract JsonObject Schema(SchemaDefinitions definitions);

    /// <summary>The meaning for an editor's tooltip: Markdown links become their text ("[Logs](operations.md#logs)" -> "Logs").</summary>
    protected string PlainMeaning => System.Text.RegularExpressions.Regex.Replace(meaning, @"\[([^\]]+)\]\([^)]*\)", "$1");
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
