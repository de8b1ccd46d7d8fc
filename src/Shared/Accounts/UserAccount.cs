namespace Cluster.Shared.Accounts;

/// <summary>A user of this machine's user database (/etc/passwd, or whatever the C library's NSS is set to read).</summary>
/// <param name="Gid">The user's primary group.</param>
/// <param name="Home">The home folder, for HOME (it need not exist: nobody's is /nonexistent).</param>
public sealed record UserAccount(string Name, uint Uid, uint Gid, string Home)
{
    /// <summary>"nobody (uid 65534)", for messages.</summary>
    public override string ToString() => $"{Name} (uid {Uid})";
}
