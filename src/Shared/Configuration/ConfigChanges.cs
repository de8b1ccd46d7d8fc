using Cluster.Shared.Configuration.Layout;

namespace Cluster.Shared.Configuration;

/// <summary>
/// What differs between a running config and a newly loaded one, key by key, and what each difference requires: the
/// layout says, for every key, whether it applies live, by a rolling reload, or only after a restart.
/// </summary>
public sealed record ConfigChanges(IReadOnlyList<ConfigChange> All)
{
    /// <summary>What a reload applies ("restart.delay 100ms -> 1s"), a rolling reload's keys marked so.</summary>
    public IReadOnlyList<string> Applied => [.. All.Where(c => c.Applies != Applies.Restart).Select(c => c.Applies == Applies.RollingReload ? $"{c.Text} (rolling reload)" : c.Text)];
    public IReadOnlyList<string> NeedRestart => [.. All.Where(c => c.Applies == Applies.Restart).Select(c => c.Text)];
    public bool WorkerCountChanged => All.Any(c => c.Path == "workers");
    public bool WorkerProgramChanged => All.Any(c => c.Applies == Applies.RollingReload);
    public bool Any => All.Count > 0;

    public static ConfigChanges Between(SupervisorConfig running, SupervisorConfig loaded)
    {
        var changes = new List<ConfigChange>();
        ConfigLayout.Root.Compare(running, loaded, string.Empty, changes);
        return new ConfigChanges(changes);
    }

    /// <summary>The loaded config, keeping the running values of what only a supervisor restart can change.</summary>
    public static SupervisorConfig KeepRestartOnly(SupervisorConfig running, SupervisorConfig loaded) => ConfigLayout.Root.Keep(running, loaded);
}
