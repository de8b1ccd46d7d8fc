using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>
/// What a value may be, once for every consumer: how the reader reads it (with the messages users see), how `config
/// show` and reload's diff write it back (the spelling users write), and how the JSON Schema and the docs describe it.
/// </summary>
internal abstract class Kind<T>
{
    /// <summary>The docs' "value" column, e.g. "duration, 100ms to 24h".</summary>
    public abstract string Values { get; }

    /// <summary>The keys of a value that may also be written as an object of its own keys ("workers": {"min": ...}); null otherwise.</summary>
    public virtual Section? ObjectForm => null;

    /// <summary>JSON null is a value of its own (e.g. "no limit"), not an error.</summary>
    public virtual bool TakesNull => false;

    /// <summary>Reads a value that is present; reports what is wrong (and returns false) otherwise.</summary>
    public abstract bool TryRead(Reading reading, ConfigNode node, out T value);

    /// <summary>The value as a user writes it; null for "not set".</summary>
    public abstract JsonNode? Show(T value);

    /// <summary>The JSON Schema that accepts exactly what <see cref="TryRead"/> accepts (where a schema can say it).</summary>
    public abstract JsonObject Schema(SchemaDefinitions definitions);
}
