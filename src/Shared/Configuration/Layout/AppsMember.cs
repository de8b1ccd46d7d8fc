using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>
/// "apps": one entry per app, keyed by its name, each an <see cref="ConfigLayout.App"/> section. Absent, the short form
/// (<see cref="ShortFormMember"/>) describes the one app "default". It compares and keeps apps by name, for every form:
/// a config that fits the short form is the same as "apps" with that one app.
/// </summary>
internal sealed partial class AppsMember(Section<AppConfig> app, string meaning) : Member<SupervisorConfig>(Key, meaning, Applies.Live, null)
{
    public const string Key = "apps";

    /// <summary>Where an app's name goes in the paths of its keys, in the docs: "apps.NAME.hosts".</summary>
    public const string NamePlaceholder = "NAME";

    public const string NamePattern = "^[a-z0-9][a-z0-9-]*$";

    private const string Expected = "an object of apps by name, e.g. {\"shop\": {\"hosts\": [\"shop.example.com\"], \"worker\": {\"command\": \"gunicorn\"}}}";

    public override Section Content => app;
    public override bool IsMap => true;
    public override string Values => "object: app name → app";
    public override string DefaultText => "none: the short form's one app, `default`";
    public override string InnerPath(string path) => $"{path}.{NamePlaceholder}";

    public override SupervisorConfig Read(Reading reading, ConfigNode node, SupervisorConfig record)
    {
        if (node.IsMissing)
        {
            return record;
        }

        var json = node.Value!.Value;
        if (json.ValueKind != JsonValueKind.Object || !json.EnumerateObject().Any())
        {
            reading.Error(node, $"expected {Expected}, got {JsonDescriptions.Describe(json)}");
            return record with { Apps = [] };
        }

        var apps = new List<AppConfig>();
        foreach (var property in json.EnumerateObject())
        {
            var child = node.Child(property.Name, property.Value);
            if (!IsName(property.Name))
            {
                reading.Error(child, $"an app's name is lower-case letters, digits and '-', starting with a letter or digit, at most {AppConfig.MaxNameLength} characters (it names the app in status, metrics and logs, and in APP_NAME); got {JsonDescriptions.Quote(property.Name)}");
            }
            else if (apps.Any(a => a.Name == property.Name))
            {
                reading.Error(child, "duplicate key");
                continue;
            }

            apps.Add(app.Read(reading, child, app.Empty with { Name = property.Name }));
        }

        return record with { Apps = apps };
    }

    public static bool IsName(string name) => name.Length <= AppConfig.MaxNameLength && NameRegex().IsMatch(name);

    public override JsonNode? Show(SupervisorConfig record, out bool present)
    {
        present = !record.IsShortForm;
        return present ? new JsonObject([.. record.Apps.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)app.Show(a)))]) : null;
    }

    /// <summary>
    /// Each app's restart-only keys keep their running values (<see cref="Section{T}.Keep"/>); an app with listeners of
    /// its own is added or removed only by a restart, as any listener.
    /// </summary>
    public override SupervisorConfig Keep(SupervisorConfig running, SupervisorConfig loaded)
    {
        var kept = new List<AppConfig>();
        foreach (var loadedApp in loaded.Apps)
        {
            if (running.App(loadedApp.Name) is { } runningApp)
            {
                kept.Add(app.Keep(runningApp, loadedApp));
            }
            else if (!loadedApp.HasOwnListeners)
            {
                kept.Add(loadedApp);
            }
        }

        kept.AddRange(running.Apps.Where(a => a.HasOwnListeners && loaded.App(a.Name) is null));
        return loaded with { Apps = kept };
    }

    /// <summary>App by app, "apps.shop.worker.command ..."; the short form's keys speak for a config that fits it on both sides.</summary>
    public override void Compare(SupervisorConfig running, SupervisorConfig loaded, string path, List<ConfigChange> changes)
    {
        if (running.IsShortForm && loaded.IsShortForm)
        {
            return;
        }

        foreach (var loadedApp in loaded.Apps)
        {
            if (running.App(loadedApp.Name) is { } runningApp)
            {
                app.Compare(runningApp, loadedApp, $"{path}.{loadedApp.Name}", changes);
            }
            else
            {
                changes.Add(new ConfigChange($"{path}.{loadedApp.Name}", loadedApp.HasOwnListeners ? Applies.Restart : Applies.Live, $"{path}.{loadedApp.Name} (added)"));
            }
        }

        foreach (var removed in running.Apps.Where(a => loaded.App(a.Name) is null))
        {
            changes.Add(new ConfigChange($"{path}.{removed.Name}", removed.HasOwnListeners ? Applies.Restart : Applies.Live, $"{path}.{removed.Name} (removed)"));
        }
    }

    public override JsonObject Schema(SchemaDefinitions definitions)
    {
        var entry = app.Schema(definitions);
        entry["allOf"] = new JsonArray([.. Rules.AppRules.AppSchema()]);
        return Annotated(new JsonObject
        {
            ["type"] = "object",
            ["minProperties"] = 1,
            ["propertyNames"] = new JsonObject { ["pattern"] = NamePattern, ["maxLength"] = AppConfig.MaxNameLength },
            ["additionalProperties"] = entry,
        });
    }

    [GeneratedRegex(NamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
