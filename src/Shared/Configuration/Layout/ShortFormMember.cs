using System.Text.Json.Nodes;
using Cluster.Shared.Configuration.Parsing;

namespace Cluster.Shared.Configuration.Layout;

/// <summary>
/// A key of the short form, placed at the top of the file ("workers", "worker", "restart", ...): one of the keys of an
/// app, read into the one app named "default" that a config without "apps" describes. With "apps" written it must be
/// absent (each app has its own); it is shown and compared only while the config fits the short form, and "apps"
/// (<see cref="AppsMember"/>) speaks for the apps otherwise.
/// </summary>
internal sealed class ShortFormMember(Member<AppConfig> inner) : Member<SupervisorConfig>(inner.Name, inner.Meaning, inner.Applies, inner.FrontEnd)
{
    public override Section? Content => inner.Content;
    public override bool IsOptional => inner.IsOptional;
    public override bool IsSetting => inner.IsSetting;
    public override bool IsMap => inner.IsMap;
    public override bool IsRequired => inner.IsRequired;
    public override Section? ObjectForm => inner.ObjectForm;

    /// <summary>Required unless "apps" is there instead: a rule of its own says so (<see cref="Rules.AppRules"/>).</summary>
    public override bool RequiredInSchema => false;
    public override string Values => inner.Values;
    public override string DefaultText => inner.DefaultText;

    public override SupervisorConfig Read(Reading reading, ConfigNode node, SupervisorConfig record)
    {
        var apps = reading.Node(AppsMember.Key);
        if (!apps.IsMissing)
        {
            if (!node.IsMissing)
            {
                reading.Error(node, $"the short form ({string.Join(", ", ConfigLayout.ShortFormKeys.Select(k => $"\"{k}\""))} at the top) describes one app, and \"apps\" ({apps.Path}) describes every app: they cannot be mixed; move \"{Name}\" into each app that needs it (apps.NAME.{Name})");
            }

            return record;
        }

        return record with { Apps = [inner.Read(reading, node, record.Apps is [var app] ? app : new AppConfig())] };
    }

    public override JsonNode? Show(SupervisorConfig record, out bool present)
    {
        present = false;
        return record.IsShortForm ? inner.Show(record.Apps[0], out present) : null;
    }

    /// <summary>"apps" keeps what only a restart changes, for every form (<see cref="AppsMember.Keep"/>).</summary>
    public override SupervisorConfig Keep(SupervisorConfig running, SupervisorConfig loaded) => loaded;

    public override void Compare(SupervisorConfig running, SupervisorConfig loaded, string path, List<ConfigChange> changes)
    {
        if (running.IsShortForm && loaded.IsShortForm)
        {
            inner.Compare(running.Apps[0], loaded.Apps[0], path, changes);
        }
    }

    public override JsonObject Schema(SchemaDefinitions definitions) => inner.Schema(definitions);
}
