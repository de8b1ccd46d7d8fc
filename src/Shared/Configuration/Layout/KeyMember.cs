using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Layout.Kinds;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>A key: its kind, its default (as a user would write it) and where its value goes in the record.</summary>
internal sealed class KeyMember<T, TV>(
    string name, Kind<TV> kind, Func<T, TV> get, Func<T, TV, T> set, JsonNode? @default, string meaning, Applies applies, FrontEndOnly? frontEnd,
    string? required, Func<Reading, TV>? whenAbsent, string? defaultText, bool setting)
    : Member<T>(name, meaning, applies, frontEnd)
{
    private readonly JsonElement? _defaultElement = @default is null ? null : JsonDocument.Parse(@default.ToJsonString()).RootElement.Clone();
    public override Section? Content => null;
    public override bool IsSetting => setting;
    public override bool IsMap => kind is MapKind;
    public override bool IsRequired => required is not null;
    public override Section? ObjectForm => kind.ObjectForm;
    public override string Values => kind.Values;
    public override string DefaultText => defaultText ?? (required is not null ? "required" : @default is null ? "none" : $"`{@default.ToJsonString()}`");

    public override T Read(Reading reading, ConfigNode node, T record)
    {
        if (!node.IsMissing && kind.TryRead(reading, node, out var value))
        {
            return set(record, value);
        }

        if (node.IsMissing && required is not null)
        {
            reading.Error(node, $"required: {required}");
        }

        // After an error too: the rules that relate keys then see a value, and the config is refused anyway.
        return set(record, _defaultElement is { } element && kind.TryRead(reading, new ConfigNode(element, "(default)", "(default)"), out var fallback) ? fallback
            : whenAbsent is not null ? whenAbsent(reading)
            : default!);
    }

    public override JsonNode? Show(T record, out bool present)
    {
        var value = setting ? get(record) : default;
        var shown = value is null ? null : kind.Show(value);
        present = setting && (shown is not null || kind.TakesNull);
        return shown;
    }

    public override T Keep(T running, T loaded) => Applies == Applies.Restart ? set(loaded, get(running)) : loaded;

    public override void Compare(T running, T loaded, string path, List<ConfigChange> changes)
    {
        var (before, after) = (Show(running, out _), Show(loaded, out _));
        if (!JsonNode.DeepEquals(before, after))
        {
            changes.Add(new ConfigChange(path, Applies, $"{path} {Text(before)} -> {Text(after)}"));
        }
    }

    public override JsonObject Schema(SchemaDefinitions definitions) => Annotated(kind.Schema(definitions), @default);

    /// <summary>A value for a log line: a string as it is, a list joined by commas, nothing as "(none)".</summary>
    private static string Text(JsonNode? value) => value switch
    {
        null => "(none)",
        JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
        JsonArray list => string.Join(", ", list.Select(Text)),
        _ => value.ToJsonString(),
    };
}
