using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cluster.Supervisor.Tests.Schema;

/// <summary>
/// Validates JSON against the subset of JSON Schema (draft-07) that supervisor.schema.json uses: type, const, enum,
/// pattern, minLength, minimum, maximum, properties, additionalProperties, required, items, oneOf. The package feed
/// has no full validator that restores (JsonSchema.Net's dependencies are missing; Newtonsoft.Json.Schema is AGPL
/// with an hourly validation limit), and a keyword this class does not know fails loudly rather than passing.
/// </summary>
internal static class SchemaValidator
{
    private static readonly HashSet<string> Known =
    [
        "$schema", "$id", "title", "description", "default", "type", "const", "enum", "pattern", "minLength", "minimum",
        "maximum", "properties", "additionalProperties", "required", "items", "oneOf",
    ];

    public static List<string> Validate(JsonNode? value, JsonObject schema, string path = "$")
    {
        var errors = new List<string>();
        Check(value, schema, path, errors);
        return errors;
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        foreach (var keyword in schema.Select(p => p.Key).Where(k => !Known.Contains(k)))
        {
            throw new NotSupportedException($"schema keyword {keyword} at {path} is not supported by this validator");
        }

        if (schema["oneOf"] is JsonArray alternatives)
        {
            var matching = alternatives.Count(a => Validate(value, a!.AsObject(), path).Count == 0);
            if (matching != 1)
            {
                errors.Add($"{path}: matches {matching} of the oneOf alternatives, not exactly one");
            }
        }

        if (schema["type"] is JsonValue type && !HasType(value, (string)type!))
        {
            errors.Add($"{path}: expected {type}, got {Describe(value)}");
            return;
        }

        if (schema["const"] is { } constant && !JsonNode.DeepEquals(constant, value))
        {
            errors.Add($"{path}: expected {constant.ToJsonString()}");
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add($"{path}: {value?.ToJsonString()} is not one of {allowed.ToJsonString()}");
        }

        if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
        {
            if (schema["pattern"] is JsonValue pattern && !Regex.IsMatch(text, (string)pattern!))
            {
                errors.Add($"{path}: \"{text}\" does not match {pattern}");
            }

            if (schema["minLength"] is JsonValue minLength && text.Length < (int)minLength)
            {
                errors.Add($"{path}: shorter than {minLength}");
            }
        }

        if (value is JsonValue number && number.TryGetValue<double>(out var n))
        {
            if (schema["minimum"] is JsonValue min && n < (double)min)
            {
                errors.Add($"{path}: {n} is below the minimum {min}");
            }

            if (schema["maximum"] is JsonValue max && n > (double)max)
            {
                errors.Add($"{path}: {n} is above the maximum {max}");
            }
        }

        if (value is JsonObject obj)
        {
            var properties = schema["properties"] as JsonObject;
            foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => (string)r!))
            {
                if (!obj.ContainsKey(required))
                {
                    errors.Add($"{path}: missing required key {required}");
                }
            }

            foreach (var (key, child) in obj)
            {
                if (properties?[key] is JsonObject propertySchema)
                {
                    Check(child, propertySchema, $"{path}.{key}", errors);
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    Check(child, additional, $"{path}.{key}", errors);
                }
                else if (schema["additionalProperties"] is JsonValue allowAdditional && !(bool)allowAdditional)
                {
                    errors.Add($"{path}.{key}: unknown key");
                }
            }
        }

        if (value is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{path}[{i}]", errors);
            }
        }
    }

    private static bool HasType(JsonNode? value, string type) => type switch
    {
        "null" => value is null,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.TryGetValue<string>(out _),
        "boolean" => value is JsonValue v && v.TryGetValue<bool>(out _),
        "number" => value is JsonValue v && v.TryGetValue<double>(out _),
        "integer" => value is JsonValue v && v.TryGetValue<double>(out var d) && d == Math.Floor(d),
        _ => throw new NotSupportedException($"type {type}"),
    };

    private static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => value.ToJsonString(),
    };
}
