using Cluster.Shared.Configuration.Layout;

namespace Cluster.Shared.Configuration;

/// <summary>
/// What differs between a running config and a newly loaded one, key by key, and what each difference requires: the
/// layout says, for every key, whether it applies live, by a rolling reload, or only after a restart. A key of an app
/// is "apps.NAME.KEY", or in the short form the key at the top ("workers", "worker.command", ...) for the app "default".
/// </summary>
public sealed record ConfigChanges(IReadOnlyList<ConfigChange> All)
{
    /// <summary>What a reload applies ("restart.delay 100ms -> 1s"), a rolling reload's keys marked so.</summary>
    public IReadOnlyList<string> Applied => [.. All.Where(c => c.Applies != Applies.Restart).Select(c => c.Applies == Applies.RollingReload ? $"{c.Text} (rolling reload)" : c.Text)];
    public IReadOnlyList<string> NeedRestart => [.. All.Where(c => c.Applies == Applies.Restart).Select(c => c.Text)];
    public bool Any => All.Count > 0;

    /// <summary>The changes to one app's keys (not its being added or removed).</summary>
    public AppChanges Of(string app) => new([.. All.Select(c => (Change: c, Of: AppOf(c.Path))).Where(c => c.Of is { } of && of.App == app && of.Key.Length > 0).Select(c => c.Change with { Path = c.Of!.Value.Key })]);

    public static ConfigChanges Between(SupervisorConfig running, SupervisorConfig loaded)
    {
        var changes = new List<ConfigChange>();
        ConfigLayout.Root.Compare(running, loaded, string.Empty, changes);
        return new ConfigChanges(changes);
    }

    /// <summary>The loaded config, keeping the running values of what only a supervisor restart can change.</summary>
    public static SupervisorConfig KeepRestartOnly(SupervisorConfig running, SupervisorConfig loaded) => ConfigLayout.Root.Keep(running, loaded);

    /// <summary>What differs between two configs of one app, by each key's path within the app.</summary>
    public static AppChanges Between(AppConfig running, AppConfig loaded)
    {
        var changes = new List<ConfigChange>();
        ConfigLayout.App.Compare(running, loaded, string.Empty, changes);
        return new AppChanges(changes);
    }

    /// <summary>An app's loaded config, keeping the running values of what only a supervisor restart can change.</summary>
    public static AppConfig KeepRestartOnly(AppConfig running, AppConfig loaded) => ConfigLayout.App.Keep(running, loaded);

    /// <summary>The app a changed key belongs to and its key within the app ("worker.command"; empty for the app itself); null for a key of the machine.</summary>
    private static (string App, string Key)? AppOf(string path)
    {
        var parts = path.Split('.', 3);
        return parts[0] == AppsMember.Key && parts.Length > 1 ? (parts[1], parts.Length > 2 ? parts[2] : string.Empty)
            : ConfigLayout.ShortFormKeys.Contains(parts[0]) ? (AppConfig.DefaultName, path)
            : null;
    }
}

/// <summary>The changed keys of one app, each by its path within the app ("workers", "worker.command").</summary>
public sealed record AppChanges(IReadOnlyList<ConfigChange> All)
{
    public bool WorkerCountChanged => All.Any(c => c.Path == "workers");
    public bool WorkerProgramChanged => All.Any(c => c.Applies == Applies.RollingReload);
    public bool Any => All.Count > 0;
}
