namespace Cluster.Shared.Accounts;

/// <summary>A group of this machine's group database (/etc/group, or whatever NSS is set to read).</summary>
public sealed record GroupAccount(string Name, uint Gid)
{
    /// <summary>"nogroup (gid 65534)", for messages.</summary>
    public override string ToString() => $"{Name} (gid {Gid})";
}
