using System.Globalization;
using System.Runtime.InteropServices;
using Cluster.Shared.Accounts;

namespace Cluster.Supervisor.FileSafety;

/// <summary>Who the supervisor runs as, and user names for messages ("nobody (uid 65534)").</summary>
internal static partial class Users
{
    public const uint Root = 0;

    /// <summary>The effective UID: the owner of every file this process creates.</summary>
    public static uint Current { get; } = GetEffectiveUid();

    /// <summary>The supervisor's own user or root: the only owners a file the supervisor trusts may have.</summary>
    public static bool IsSelfOrRoot(uint uid) => uid == Current || uid == Root;

    /// <summary>Whom the supervisor's files may belong to, for messages: "root", or "you (ada (uid 1000)) or root".</summary>
    public static string SelfOrRoot => Current == Root ? "root" : $"you ({Describe(Current)}) or root";

    /// <summary>The owners a trusted folder may have, for messages: "root", or "ada (uid 1000) or root".</summary>
    public static string OwnerOrRoot => Current == Root ? "root" : $"{Describe(Current)} or root";

    /// <summary>The supervisor's own user's name (or its UID, without one), as `status` shows the workers that run as it.</summary>
    public static string CurrentName { get; } = SystemAccounts.Instance.FindUser(Current.ToString(CultureInfo.InvariantCulture))?.Name ?? Current.ToString(CultureInfo.InvariantCulture);

    /// <summary>"name (uid N)", or "uid N" when no user has that number.</summary>
    public static string Describe(uint uid)
    {
        var number = uid.ToString(CultureInfo.InvariantCulture);
        var name = SystemAccounts.Instance.FindUser(number)?.Name;
        return name is null ? $"uid {number}" : $"{name} (uid {number})";
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();
}
