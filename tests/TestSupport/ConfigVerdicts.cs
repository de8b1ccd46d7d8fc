using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Shared.Configuration;
using System.Text.RegularExpressions;
using Json.Schema;
using NUnit.Framework;

namespace Cluster.TestSupport;

/// <summary>
/// A config's verdict by the JSON Schema an editor uses (supervisor.schema.json) and by the supervisor's own check;
/// the two must agree on everything the schema can state (<see cref="ConfigErrorKind.Layout"/>).
/// </summary>
public static class ConfigVerdicts
{
    private static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The schema as a validator sees it (draft-07, from its $schema), parsed once: it registers itself by its $id.</summary>
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        // Room for every pattern of the schema in Regex's cache (15 by default), so none is compiled twice.
        Regex.CacheSize = Math.Max(Regex.CacheSize, 1024);
        return JsonSchema.FromText(File.ReadAllText(RepositoryPaths.InRepository("supervisor.schema.json")));
    });

    /// <summary>
    /// Why the schema refuses the text, "$.json.path: keyword: message" per failed keyword; text that is not JSON (or
    /// repeats a key, which editors flag as they do) is refused too. Empty when valid.
    /// </summary>
    public static IReadOnlyList<string> SchemaErrors(string text)
    {
        JsonNode? config;
        try
        {
            config = JsonNode.Parse(text, documentOptions: Jsonc);
            Materialize(config);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return [$"$: not JSON: {e.Message}"];
        }

        var results = Evaluate(config);
        return results.IsValid
            ? []
            : [.. results.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e =>
                $"${string.Concat(d.InstanceLocation.Select(segment => "." + segment))}: {(e.Key.Length > 0 ? e.Key : d.EvaluationPath[^1])}: {e.Value}"))];
    }

    /// <summary>
    /// JsonSchema.Net matches "pattern" with Regex's static methods, compiled and with a time limit: the first match of a
    /// pattern compiles it within that limit, which a loaded machine can overrun. The cache keeps each pattern once
    /// compiled, so a second try is fast.
    /// </summary>
    private static EvaluationResults Evaluate(JsonNode? config)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Schema.Value.Evaluate(config, new EvaluationOptions { OutputFormat = OutputFormat.List });
            }
            catch (RegexMatchTimeoutException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>Reads every object through, so that a repeated key (which JsonNode reports only then) is found here.</summary>
    private static void Materialize(JsonNode? node)
    {
        foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] })
        {
            Materialize(child);
        }
    }

    /// <summary>The supervisor's verdict on the text as if read from <paramref name="path"/>, without environment variables.</summary>
    public static ConfigLoadResult Check(string text, string path, ConfigEnvironment? environment = null) =>
        ConfigLoader.Parse(text, path, ConfigOverrides.None, (environment ?? ConfigEnvironment.Current) with { Variables = new Dictionary<string, string>() });

    /// <summary>Asserts that the schema and the check agree on the file (what only this machine can tell set aside).</summary>
    public static void AssertAgree(string path)
    {
        var text = File.ReadAllText(path);
        var schema = SchemaErrors(text);
        var check = Check(text, Path.GetFullPath(path)).Errors.Where(e => e.Kind == ConfigErrorKind.Layout).ToList();
        Assert.That(
            schema.Count == 0,
            Is.EqualTo(check.Count == 0),
            $"supervisor.schema.json and `supervisor check` disagree on {path}:\n{text}\nschema: {string.Join("\n  ", schema)}\ncheck: {string.Join("\n  ", check)}");
    }
}
