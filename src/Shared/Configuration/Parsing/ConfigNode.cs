using System.Text.Json;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>
/// A value in the config (or absent). <see cref="Path"/> names it in messages: a JSON path ($.restart.delay), or the
/// variable or flag that set it (SUPERVISOR_RESTART__DELAY, --workers). <see cref="Key"/> is where it sits in the
/// layout ("restart.delay", "listen[1]"), whatever set it.
/// </summary>
internal readonly record struct ConfigNode(JsonElement? Value, string Path, string Key)
{
    public static ConfigNode Root(JsonElement value) => new(value, "$", string.Empty);
    public bool IsMissing => Value is null || Value.Value.ValueKind == JsonValueKind.Undefined;
    public bool IsNull => Value?.ValueKind == JsonValueKind.Null;
    public ConfigNode Child(string key, JsonElement? value) => new(value, $"{Path}.{key}", Key.Length == 0 ? key : $"{Key}.{key}");
    public ConfigNode Item(int index, JsonElement value) => new(value, $"{Path}[{index}]", $"{Key}[{index}]");
}
