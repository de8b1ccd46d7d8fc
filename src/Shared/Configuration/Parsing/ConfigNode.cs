using System.Text.Json;

namespace Cluster.Shared.Configuration.Parsing;

/// <summary>A value in the config (or absent), with the path that error messages name.</summary>
internal readonly record struct ConfigNode(JsonElement? Value, string Path)
{
    public bool IsMissing => Value is null || Value.Value.ValueKind == JsonValueKind.Undefined;

    public ConfigNode Child(string key, JsonElement? value) => new(value, $"{Path}.{key}");

    public ConfigNode Item(int index, JsonElement value) => new(value, $"{Path}[{index}]");
}
