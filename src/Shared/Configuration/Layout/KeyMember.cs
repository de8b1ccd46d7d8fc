using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Layout.Kinds;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>A key: its kind, its default (as a user would write it) and where its value goes in the record.</summary>
internal sealed class KeyMember<T, TV> : Member<T>
{
    private readonly Kind<TV> _kind;
    private readonly Func<T, TV> _get;
    private readonly Func<T, TV, T> _set;
    private readonly JsonNode? _default;
    private readonly JsonElement? _defaultElement;
    private readonly string? _required;
    private readonly Func<Reading, TV>? _whenAbsent;
    private readonly string? _defaultText;
    private readonly bool _setting;
    private readonly string? _note;

    public KeyMember(string name, Kind<TV> kind, Func<T, TV> get, Func<T, TV, T> set, JsonNode? @default, string meaning, Applies applies, FrontEndOnly? frontEnd, string? required, Func<Reading, TV>? whenAbsent, string? defaultText, bool setting, string? note)
        : base(name, meaning, applies, frontEnd)
    {
        (_kind, _get, _set, _default, _required, _whenAbsent, _defaultText, _setting, _note) = (kind, get, set, @default, required, whenAbsent, defaultText, setting, note);
        if (@default is not null)
        {
            using var document = JsonDocument.Parse(@default.ToJsonString());
            _defaultElement = document.RootElement.Clone();
        }
    }

    public override Section? Content => null;

    public override bool IsSetting => _setting;

    public override bool IsMap => _kind is MapKind;

    public override bool IsRequired => _required is not null;

    public override string Values => _kind.Values;

    public override string DefaultText => _defaultText ?? (_required is not null ? "required" : _default is null ? "none" : $"`{_default.ToJsonString()}`");

    public override T Read(Reading reading, ConfigNode node, T record)
    {
        if (!node.IsMissing && _kind.TryRead(reading, node, out var value))
        {
            return _set(record, value);
        }

        if (node.IsMissing && _required is not null)
        {
            reading.Error(node, $"required: {_required}");
        }

        // After an error too: the rules that relate keys then see a value, and the config is refused anyway.
        return _set(record, _defaultElement is { } element && _kind.TryRead(reading, new ConfigNode(element, "(default)", "(default)"), out var fallback) ? fallback
            : _whenAbsent is not null ? _whenAbsent(reading)
            : default!);
    }

    public override JsonNode? Show(T record, out bool present)
    {
        var value = _setting ? _get(record) : default;
        var shown = value is null ? null : _kind.Show(value);
        present = _setting && (shown is not null || _kind.TakesNull);
        return shown;
    }

    public override T Keep(T running, T loaded) => Applies == Applies.Restart ? _set(loaded, _get(running)) : loaded;

    public override void Compare(T running, T loaded, string path, List<ConfigChange> changes)
    {
        var (before, after) = (Show(running, out _), Show(loaded, out _));
        if (!JsonNode.DeepEquals(before, after))
        {
            changes.Add(new ConfigChange(path, Applies, $"{path} {Text(before)} -> {Text(after)}{(_note is null ? string.Empty : $" ({_note})")}"));
        }
    }

    public override JsonObject Schema(SchemaDefinitions definitions)
    {
        var schema = _kind.Schema(definitions);
        if (schema.ContainsKey("$ref"))
        {
            // draft-07 ignores the siblings of "$ref": the annotations go around it.
            schema = new JsonObject { ["allOf"] = new JsonArray(schema) };
        }

        schema["description"] = SchemaText.Plain(Meaning);
        if (_default is not null)
        {
            schema["default"] = _default.DeepClone();
        }

        return schema;
    }

    /// <summary>A value for a log line: a string as it is, a list joined by commas, nothing as "(none)".</summary>
    private static string Text(JsonNode? value) => value switch
    {
        null => "(none)",
        JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
        JsonArray list => string.Join(", ", list.Select(Text)),
        _ => value.ToJsonString(),
    };
}
