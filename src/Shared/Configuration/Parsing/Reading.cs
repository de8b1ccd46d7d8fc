using System.Text.Json;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>
/// One pass over a config that never throws: every problem is recorded with its path, so all are reported at once.
/// Overrides (environment variables, flags) replace a key's value and are named by their variable or flag. Every node
/// read is remembered by its layout key, for the rules that relate several keys and for `config show`.
/// </summary>
internal sealed class Reading(IReadOnlyDictionary<string, ConfigNode> overrides, ReadingContext context)
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<string> _warnings = [];
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigNode> _nodes = new(StringComparer.Ordinal);
    public ReadingContext Context => context;
    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>What is allowed but probably not meant; printed by `check` and at start.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public void Error(ConfigNode node, string message, ConfigErrorKind kind = ConfigErrorKind.Layout)
    {
        _errors.Add(new ConfigError(node.Path, message) { Kind = kind });
        _failed.Add(node.Key);
    }

    /// <summary>Records the error and gives "no value", for readers that return null on a problem.</summary>
    public T? Fail<T>(ConfigNode node, string message, ConfigErrorKind kind = ConfigErrorKind.Layout)
        where T : class
    {
        Error(node, message, kind);
        return null;
    }

    public void Warn(string message) => _warnings.Add(message);
    public void Warning(ConfigNode node, string message) => _warnings.Add($"{node.Path}: {message}");

    /// <summary>Every node read or remembered, by layout key.</summary>
    public IReadOnlyDictionary<string, ConfigNode> Nodes => _nodes;

    /// <summary>The node of a key, as read (absent when nothing set it).</summary>
    public ConfigNode Node(string key) => _nodes.TryGetValue(key, out var node) ? node : new ConfigNode(null, "$." + key, key);

    /// <summary>Remembers the node a value came from under a key of the layout's (listener i of "listen" as "listen[i]").</summary>
    public void Remember(string key, ConfigNode node) => _nodes[key] = node;

    /// <summary>Whether the key and everything under it was read without an error.</summary>
    public bool Ok(string key) => !_failed.Any(f => f == key || IsInside(f, key));

    /// <summary>The keys set under <paramref name="key"/> (in the file or by an override), in the layout's order.</summary>
    public IEnumerable<ConfigNode> SetInside(string key) => _nodes.Values.Where(n => IsInside(n.Key, key) && !n.IsMissing);

    /// <summary>Whether an optional section is on: written (other than null), or a key of it set by an override.</summary>
    public bool IsOn(string key) => Node(key) is { IsMissing: false, IsNull: false } || overrides.Keys.Any(k => IsInside(k, key));

    /// <summary>The node to name for a section: itself when written, else the first override that set a key of it.</summary>
    public ConfigNode Where(string key) => Node(key) is { IsMissing: false } node ? node : SetInside(key).FirstOrDefault(Node(key));

    /// <summary>The keys of an object (absent counts as empty), after reporting unknown and duplicate keys.</summary>
    public IReadOnlyDictionary<string, ConfigNode> Object(ConfigNode node, IReadOnlyList<string> allowedKeys)
    {
        _nodes[node.Key] = node;
        var children = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        if (node.Value?.ValueKind is not null and not JsonValueKind.Object and not JsonValueKind.Undefined)
        {
            Error(node, $"expected an object, got {JsonDescriptions.Describe(node.Value.Value)}");
        }

        foreach (var property in node.Value?.ValueKind == JsonValueKind.Object ? node.Value.Value.EnumerateObject().ToList() : [])
        {
            var child = node.Child(property.Name, property.Value);
            if (!allowedKeys.Contains(property.Name, StringComparer.Ordinal))
            {
                var suggestion = KeySuggestions.Closest(property.Name, allowedKeys);
                Error(child, $"unknown key{(suggestion is null ? string.Empty : $" (did you mean \"{suggestion}\"?)")}; allowed keys here: {string.Join(", ", allowedKeys)}");
            }
            else if (!children.TryAdd(property.Name, child))
            {
                Error(child, "duplicate key");
            }
        }

        foreach (var key in allowedKeys)
        {
            var absent = node.Child(key, null);
            children[key] = overrides.TryGetValue(absent.Key, out var replacement) ? replacement : children.GetValueOrDefault(key, absent);
            _nodes[absent.Key] = children[key];
        }

        return children;
    }

    private static bool IsInside(string key, string section) =>
        key.Length > section.Length && key.StartsWith(section, StringComparison.Ordinal) && key[section.Length] is '.' or '[';
}
