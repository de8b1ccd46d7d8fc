using System.Globalization;
using System.Runtime.InteropServices;

namespace Cluster.Shared.Accounts;

/// <summary>
/// Who this process is and whether it may start processes as someone else: switching needs CAP_SETUID and CAP_SETGID
/// (setuid, setgid, initgroups) and, to stop such a process again, CAP_KILL (kill(2) across users). Root normally has
/// all three; an unprivileged user has them only when given (systemd's AmbientCapabilities=).
/// </summary>
/// <param name="Capabilities">The effective capability set, a bit per capability (CapEff in /proc/self/status).</param>
public sealed partial record ProcessCredentials(uint Uid, uint Gid, ulong Capabilities)
{
    /// <summary>The capabilities a process needs to run another user's processes, with what each is for.</summary>
    public static readonly IReadOnlyList<(LinuxCapability Capability, string Use)> ForSwitching =
    [
        (LinuxCapability.SetUid, "to become the user"),
        (LinuxCapability.SetGid, "to take its groups"),
        (LinuxCapability.Kill, "to stop its processes"),
    ];

    /// <summary>This process, now (capabilities can be dropped at any time, so they are read each time).</summary>
    public static ProcessCredentials Current => new(GetEffectiveUid(), GetEffectiveGid(), ReadEffectiveCapabilities());

    public bool Has(LinuxCapability capability) => (Capabilities & (1UL << (int)capability)) != 0;

    /// <summary>"CAP_SETUID", as capabilities(7) and systemd name it.</summary>
    public static string Name(LinuxCapability capability) => "CAP_" + capability.ToString().ToUpperInvariant();

    /// <summary>Starting a process as <paramref name="uid"/> with primary group <paramref name="gid"/> changes anything: not when it is this process's own.</summary>
    public bool IsOther(uint uid, uint gid) => uid != Uid || gid != Gid;

    /// <summary>The names of what is missing to run processes as another user ("CAP_SETUID (to become the user)"); empty when nothing is.</summary>
    public IReadOnlyList<string> MissingForSwitching() => [.. ForSwitching.Where(c => !Has(c.Capability)).Select(c => $"{Name(c.Capability)} ({c.Use})")];

    private static ulong ReadEffectiveCapabilities()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is not null && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var bits) ? bits : 0;
        }
        catch (IOException)
        {
            // No /proc (a very restricted container): nothing can be proven, so nothing is assumed.
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint GetEffectiveGid();
}
