using System.Globalization;
using System.Text.Json;
using Cluster.Shared.Configuration.Layout;
using Cluster.Shared.Configuration.Parsing;
using Cluster.Shared.Configuration.Rules;

namespace Cluster.Shared.Configuration;

/// <summary>Reads supervisor.json (comments and trailing commas allowed), applies overrides, validates once.</summary>
public static class ConfigLoader
{
    /// <summary>The config file read when none is named: supervisor.json in the current folder.</summary>
    public const string DefaultFileName = "supervisor.json";
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static ConfigLoadResult Load(string configPath, ConfigOverrides overrides, ConfigEnvironment environment)
    {
        var fullPath = Path.GetFullPath(configPath);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Invalid(fullPath, "file not found (use --config to name another file)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Invalid(fullPath, $"cannot read the file: {e.Message}");
        }

        return Parse(text, fullPath, overrides, environment);
    }

    /// <summary>Validates config text as if it had been read from <paramref name="fullPath"/>.</summary>
    public static ConfigLoadResult Parse(string text, string fullPath, ConfigOverrides overrides, ConfigEnvironment environment)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            return Invalid(fullPath, $"invalid JSON at line {line}, column {column}: {Reason(e)}");
        }

        using (document)
        {
            // Precedence: command-line flags over environment variables over the file.
            var overrideNodes = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
            var warnings = EnvironmentOverrides.Add(overrideNodes, environment.Variables ?? new Dictionary<string, string>());
            AddOverride(overrideNodes, "workers", "--workers", overrides.Workers);
            AddOverride(overrideNodes, "listen", "--listen", overrides.Listen);

            var reading = new Reading(overrideNodes, new ReadingContext(fullPath, environment, DateTimeOffset.UtcNow));
            var root = ConfigNode.Root(document.RootElement);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                // Anything else is not a supervisor.json at all; listing missing keys would only bury that.
                reading.Object(root, ConfigLayout.Root.Names);
                return ConfigLoadResult.Invalid(reading.Errors);
            }

            var config = ConfigLayout.Root.Read(reading, root, new SupervisorConfig { ConfigFile = fullPath });
            ConfigRules.Check(config, reading);
            var result = reading.Errors.Count > 0 ? ConfigLoadResult.Invalid(reading.Errors) : ConfigLoadResult.Valid(config);
            return result with
            {
                Warnings = [.. warnings, .. reading.Warnings],
                Sources = reading.Nodes.Where(n => !n.Value.IsMissing).ToDictionary(n => n.Key, n => n.Value.Path, StringComparer.Ordinal),
            };
        }
    }

    private static void AddOverride(Dictionary<string, ConfigNode> nodes, string path, string flag, string? value)
    {
        // A value that reads as a JSON number is a number ("--workers 4"); anything else is a string ("--workers auto").
        if (value is not null)
        {
            var json = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? value : JsonDescriptions.Quote(value);
            nodes[path] = new ConfigNode(JsonDocument.Parse(json).RootElement.Clone(), flag, path);
        }
    }

    private static ConfigLoadResult Invalid(string fullPath, string message) => ConfigLoadResult.Invalid([new ConfigError(fullPath, message)]);

    // System.Text.Json appends "Path: $ | LineNumber: 0 | BytePositionInLine: 0." to its messages; we report those ourselves.
    private static string Reason(JsonException e) => e.Message.Split(" Path: ")[0].Split(" LineNumber: ")[0].TrimEnd(' ', '|');
}
