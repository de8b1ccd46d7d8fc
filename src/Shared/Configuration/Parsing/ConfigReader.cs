using System.Text.Json;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>
/// Typed reads over the config JSON that never throw: every problem is recorded with its path, so one pass
/// reports all of them. Overrides (command-line values) replace a key's value and are named by their flag.
/// </summary>
internal sealed class ConfigReader(IReadOnlyDictionary<string, ConfigNode> overrides)
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>What is allowed but probably not meant; printed by `check` and at start.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public void Warn(string message) => _warnings.Add(message);

    public void Error(ConfigNode node, string message) => _errors.Add(new ConfigError(node.Path, message));

    public void Warning(ConfigNode node, string message) => _warnings.Add($"{node.Path}: {message}");

    /// <summary>Whether an override sets a key inside this object (so an optional section absent from the file is on).</summary>
    public bool HasOverrideInside(ConfigNode node) => overrides.Keys.Any(path => path.StartsWith(node.Path + ".", StringComparison.Ordinal));

    /// <summary>The keys set inside an object, in the file or by an override, each with the path that names it.</summary>
    public IEnumerable<ConfigNode> KeysSetInside(ConfigNode node)
    {
        var fromFile = node.IsMissing || node.Value!.Value.ValueKind != JsonValueKind.Object
            ? []
            : node.Value.Value.EnumerateObject().Select(property => node.Child(property.Name, property.Value));
        return fromFile.Concat(overrides.Where(o => o.Key.StartsWith(node.Path + ".", StringComparison.Ordinal)).Select(o => o.Value));
    }

    /// <summary>The string items of an array or the string values of an object, each with its path.</summary>
    public static IEnumerable<ConfigNode> StringsInside(ConfigNode node)
    {
        if (node.IsMissing)
        {
            return [];
        }

        var value = node.Value!.Value;
        var children = value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().Select((item, i) => node.Item(i, item)),
            JsonValueKind.Object => value.EnumerateObject().Select(property => node.Child(property.Name, property.Value)),
            _ => [],
        };
        return children.Where(child => child.Value!.Value.ValueKind == JsonValueKind.String).ToList();
    }

    /// <summary>The keys of an object (absent counts as empty), after reporting unknown and duplicate keys.</summary>
    public IReadOnlyDictionary<string, ConfigNode> Object(ConfigNode node, params string[] allowedKeys)
    {
        var children = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        if (!node.IsMissing && node.Value!.Value.ValueKind != JsonValueKind.Object)
        {
            Error(node, $"expected an object, got {JsonDescriptions.Describe(node.Value.Value)}");
        }
        else if (!node.IsMissing)
        {
            foreach (var property in node.Value!.Value.EnumerateObject())
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
        }

        foreach (var key in allowedKeys)
        {
            if (overrides.TryGetValue(node.Child(key, null).Path, out var replacement))
            {
                children[key] = replacement;
            }
            else
            {
                children.TryAdd(key, node.Child(key, null));
            }
        }

        return children;
    }

    public string? String(ConfigNode node, string expected)
    {
        if (node.IsMissing)
        {
            return null;
        }

        if (node.Value!.Value.ValueKind != JsonValueKind.String)
        {
            Error(node, $"expected {expected}, got {JsonDescriptions.Describe(node.Value.Value)}");
            return null;
        }

        return node.Value.Value.GetString();
    }

    public IReadOnlyList<string> StringArray(ConfigNode node, string expected) =>
        Array(node, expected, item => item.ValueKind == JsonValueKind.String ? (true, item.GetString()!) : (false, string.Empty), item => $"expected a string, got {JsonDescriptions.Describe(item)}{QuoteHint(item)}");

    public IReadOnlyDictionary<string, string> StringMap(ConfigNode node, string expected)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.IsMissing)
        {
            return map;
        }

        if (node.Value!.Value.ValueKind != JsonValueKind.Object)
        {
            Error(node, $"expected {expected}, got {JsonDescriptions.Describe(node.Value.Value)}");
            return map;
        }

        foreach (var property in node.Value.Value.EnumerateObject())
        {
            var child = node.Child(property.Name, property.Value);
            if (property.Name.Length == 0 || property.Name.Contains('=') || property.Name.Contains('\0'))
            {
                Error(child, "an environment variable name must be non-empty and contain no '=' or NUL");
            }
            else if (property.Value.ValueKind != JsonValueKind.String)
            {
                Error(child, $"expected a string, got {JsonDescriptions.Describe(property.Value)}{QuoteHint(property.Value)}");
            }
            else if (!map.TryAdd(property.Name, property.Value.GetString()!))
            {
                Error(child, "duplicate key");
            }
        }

        return map;
    }

    public TimeSpan Duration(ConfigNode node, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        if (node.IsMissing)
        {
            return defaultValue;
        }

        var range = $"from {DurationParser.Format(min)} to {DurationParser.Format(max)}";
        var value = node.Value!.Value;
        if (value.ValueKind != JsonValueKind.String || !DurationParser.TryParse(value.GetString()!, out var duration))
        {
            Error(node, $"expected {DurationParser.Expected}, {range}; got {JsonDescriptions.Describe(value)}");
            return defaultValue;
        }

        if (duration < min || duration > max)
        {
            Error(node, $"expected a duration {range}, got {JsonDescriptions.Quote(value.GetString()!)}");
            return defaultValue;
        }

        return duration;
    }

    /// <summary>A size string in [min, max] bytes; absent gives <paramref name="defaultValue"/>.</summary>
    public long? Size(ConfigNode node, long? defaultValue, long min, long max)
    {
        if (node.IsMissing)
        {
            return defaultValue;
        }

        var range = $"from {SizeParser.Format(min)} to {SizeParser.Format(max)}";
        var value = node.Value!.Value;
        if (value.ValueKind != JsonValueKind.String || !SizeParser.TryParse(value.GetString()!, out var bytes))
        {
            Error(node, $"expected {SizeParser.Expected}, {range}; got {JsonDescriptions.Describe(value)}");
            return defaultValue;
        }

        if (bytes < min || bytes > max)
        {
            Error(node, $"expected a size {range}, got {JsonDescriptions.Quote(value.GetString()!)}");
            return defaultValue;
        }

        return bytes;
    }

    public bool Boolean(ConfigNode node, bool defaultValue)
    {
        if (node.IsMissing)
        {
            return defaultValue;
        }

        var value = node.Value!.Value;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Error(node, $"expected true or false, got {JsonDescriptions.Describe(value)}");
        return defaultValue;
    }

    /// <summary>An integer in [min, max]; absent gives <paramref name="defaultValue"/> (which may be null: "off").</summary>
    public long? Integer(ConfigNode node, long? defaultValue, long min, long max, string meaning)
    {
        if (node.IsMissing)
        {
            return defaultValue;
        }

        var value = node.Value!.Value;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= min && number <= max)
        {
            return number;
        }

        Error(node, $"expected {meaning}: an integer from {min} to {max}, got {JsonDescriptions.Describe(value)}");
        return defaultValue;
    }

    /// <summary>A number in [min, max].</summary>
    public double Number(ConfigNode node, double defaultValue, double min, double max, string meaning)
    {
        if (node.IsMissing)
        {
            return defaultValue;
        }

        var value = node.Value!.Value;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= min && number <= max)
        {
            return number;
        }

        Error(node, $"expected {meaning}: a number from {min.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}, got {JsonDescriptions.Describe(value)}");
        return defaultValue;
    }

    /// <summary>An array of integers in [min, max], each bad item reported by its index.</summary>
    public IReadOnlyList<int> IntegerArray(ConfigNode node, int min, int max, string meaning) =>
        Array(
            node,
            $"an array of {meaning}, e.g. [3, 4]",
            item => item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var number) && number >= min && number <= max ? (true, number) : (false, 0),
            item => $"expected {meaning}: an integer from {min} to {max}, got {JsonDescriptions.Describe(item)}");

    public TEnum Enum<TEnum>(ConfigNode node, TEnum defaultValue, IReadOnlyDictionary<string, TEnum> accepted, IReadOnlyList<string> documented)
    {
        if (node.IsMissing)
        {
            return defaultValue;
        }

        var value = node.Value!.Value;
        if (value.ValueKind == JsonValueKind.String && accepted.TryGetValue(value.GetString()!.ToLowerInvariant(), out var parsed))
        {
            return parsed;
        }

        var suggestion = value.ValueKind == JsonValueKind.String ? KeySuggestions.Closest(value.GetString()!, documented) : null;
        Error(node, $"expected one of {string.Join(", ", documented.Select(JsonDescriptions.Quote))}, got {JsonDescriptions.Describe(value)}{(suggestion is null ? string.Empty : $" (did you mean \"{suggestion}\"?)")}");
        return defaultValue;
    }

    /// <summary>An array (absent counts as empty) whose items <paramref name="read"/> accepts; each bad item is reported by index.</summary>
    private List<T> Array<T>(ConfigNode node, string expected, Func<JsonElement, (bool Ok, T Value)> read, Func<JsonElement, string> problem)
    {
        var items = new List<T>();
        if (node.IsMissing)
        {
            return items;
        }

        if (node.Value!.Value.ValueKind != JsonValueKind.Array)
        {
            Error(node, $"expected {expected}, got {JsonDescriptions.Describe(node.Value.Value)}");
            return items;
        }

        var index = 0;
        foreach (var item in node.Value.Value.EnumerateArray())
        {
            var itemNode = node.Item(index++, item);
            if (read(item) is (true, var value))
            {
                items.Add(value);
            }
            else
            {
                Error(itemNode, problem(item));
            }
        }

        return items;
    }

    private static string QuoteHint(JsonElement value) =>
        value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? $"; write it in quotes: \"{value.GetRawText()}\""
            : string.Empty;
}
