using System.Globalization;

namespace Cluster.Supervisor.Processes;

/// <summary>The user the exec shim switches to: the name (for initgroups(3)), the UID and the primary GID.</summary>
internal sealed record ShimUser(string Name, uint Uid, uint Gid)
{
    /// <summary>"NAME:UID:GID", as the shim's --user option takes it (":" is in no user name: it separates passwd's fields).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}:{Uid}:{Gid}");

    public static ShimUser From(Cluster.Shared.Configuration.WorkerIdentity identity) => new(identity.Name, identity.Uid, identity.Gid);

    public static ShimUser? Parse(string text) =>
        text.Split(':') is [{ Length: > 0 } name, var uid, var gid]
        && uint.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
        && uint.TryParse(gid, NumberStyles.None, CultureInfo.InvariantCulture, out var g)
            ? new ShimUser(name, u, g)
            : null;

    /// <summary>"nobody (uid 65534, gid 65534)", for messages.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Name} (uid {Uid}, gid {Gid})");
}
