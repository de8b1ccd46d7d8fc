using System.Globalization;
using System.Runtime.InteropServices;

namespace Cluster.Supervisor.Processes;

/// <summary>
/// The exec shim's change of user, as login(1) and every supervisor that runs programs as another user does it: the
/// user's supplementary groups (initgroups(3)), then the primary group, then the user, in that order (once the user is
/// changed, the groups could no longer be). Changing all of the real, effective and saved IDs leaves no way back, and
/// a root process that becomes another user loses every capability (capabilities(7)).
/// </summary>
internal static partial class UserSwitch
{
    /// <summary>Null when the process now runs as <paramref name="user"/>; else which call failed and why.</summary>
    public static string? Become(ShimUser user)
    {
        if (InitGroups(user.Name, user.Gid) != 0)
        {
            return $"initgroups({user.Name}, {Number(user.Gid)}): {Errno.Last()}";
        }

        if (SetResGid(user.Gid, user.Gid, user.Gid) != 0)
        {
            return $"setresgid({Number(user.Gid)}): {Errno.Last()}";
        }

        return SetResUid(user.Uid, user.Uid, user.Uid) != 0 ? $"setresuid({Number(user.Uid)}): {Errno.Last()}" : null;
    }

    private static string Number(uint id) => id.ToString(CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "initgroups", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int InitGroups(string user, uint group);

    [LibraryImport("libc", EntryPoint = "setresgid", SetLastError = true)]
    private static partial int SetResGid(uint real, uint effective, uint saved);

    [LibraryImport("libc", EntryPoint = "setresuid", SetLastError = true)]
    private static partial int SetResUid(uint real, uint effective, uint saved);
}
