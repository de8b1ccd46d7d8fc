using System.Collections;
using System.Text.Json;
using Cluster.Shared.Configuration.Layout;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration;

/// <summary>
/// Environment variables that override supervisor.json, one rule for every key: SUPERVISOR_ and the key's JSON path,
/// levels joined by a double underscore, any case: SUPERVISOR_WORKERS=4, SUPERVISOR_LOG__LEVEL=debug,
/// SUPERVISOR_RESTART__MAXDELAY=1m. A value that is JSON (a number, true/false, null, an array or object, a quoted
/// string) is taken as that; anything else is a string. Command-line flags override both.
/// </summary>
public static class EnvironmentOverrides
{
    public const string Prefix = "SUPERVISOR_";
    private const string Separator = "__";

    // Not settings: SUPERVISOR_PID is what the supervisor gives its workers (the worker contract), and supervisord
    // sets the others for its children, so a supervisor run under supervisord sees them.
    private static readonly HashSet<string> NotSettings = [Cluster.Contract.WorkerEnvironment.SupervisorPid, "SUPERVISOR_ENABLED", "SUPERVISOR_PROCESS_NAME", "SUPERVISOR_GROUP_NAME", "SUPERVISOR_SERVER_URL"];

    public static IReadOnlyDictionary<string, string> FromProcess() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Where(e => e.Key is string name && name.StartsWith(Prefix, StringComparison.Ordinal) && e.Value is string)
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    /// <summary>The variable name of a key, e.g. "restart.maxDelay" -> SUPERVISOR_RESTART__MAXDELAY.</summary>
    public static string NameOf(string dottedPath) => Prefix + dottedPath.Replace(".", Separator, StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Adds a node per recognised variable, keyed by its layout key; returns a warning per unrecognised one.</summary>
    internal static IReadOnlyList<string> Add(Dictionary<string, ConfigNode> nodes, IReadOnlyDictionary<string, string> variables)
    {
        // An app's keys are set with "apps" as a whole (SUPERVISOR_APPS), as any map.
        var settings = ConfigLayout.Root.Walk().Where(m => m.Member.IsSetting && !m.Path.StartsWith(AppsMember.Key + ".", StringComparison.Ordinal)).ToList();
        var warnings = new List<string>();
        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || NotSettings.Contains(name))
            {
                continue;
            }

            if (settings.FirstOrDefault(s => string.Equals(NameOf(s.Path), name, StringComparison.OrdinalIgnoreCase)).Path is { } key)
            {
                nodes[key] = new ConfigNode(Parse(value), name, key);
            }
            else if (settings.FirstOrDefault(s => s.Member.IsMap && name.StartsWith(NameOf(s.Path) + Separator, StringComparison.OrdinalIgnoreCase)).Path is { } map)
            {
                warnings.Add($"environment variable {name} is not a setting and is ignored: {map} is set as a whole, as a JSON object ({NameOf(map)}='{{\"NAME\":\"value\"}}')");
            }
            else
            {
                var suggestion = KeySuggestions.Closest(name, settings.Select(s => NameOf(s.Path)));
                warnings.Add($"environment variable {name} is not a setting and is ignored{(suggestion is null ? string.Empty : $" (did you mean {suggestion}?)")}");
            }
        }

        return warnings;
    }

    private static JsonElement Parse(string value)
    {
        try
        {
            return JsonDocument.Parse(value).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(JsonDescriptions.Quote(value)).RootElement.Clone();
        }
    }
}
