namespace Cluster.Shared.Configuration;

/// <summary>
/// Who a worker runs as (worker.user, and worker.group or else the user's own group): the IDs to switch to, the name
/// for initgroups(3) (the user's supplementary groups) and USER/LOGNAME, the home folder for HOME.
/// </summary>
public sealed record WorkerIdentity(string Name, uint Uid, uint Gid, string Home)
{
    /// <summary>"nobody (uid 65534, gid 65534)", for messages.</summary>
    public override string ToString() => $"{Name} (uid {Uid}, gid {Gid})";
}
