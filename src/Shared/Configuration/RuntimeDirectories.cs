using System.Runtime.InteropServices;

namespace Cluster.Shared.Configuration;

/// <summary>
/// Where run-time files (the pid file, the control socket) live by default: /run/cluster for root (the folder systemd's
/// RuntimeDirectory=cluster gives a service), else $XDG_RUNTIME_DIR/cluster, else $TMPDIR/cluster-UID (as tmux's
/// /tmp/tmux-UID). The supervisor makes it mode 0700 and refuses one that another user made.
/// </summary>
public static partial class RuntimeDirectories
{
    /// <summary>Root's, whatever its environment says: `sudo` drops XDG_RUNTIME_DIR, and every root shell must find the same socket.</summary>
    public const string Root = "/run/cluster";
    public static string Default(string? xdgRuntimeDir) => Default(GetUid(), xdgRuntimeDir, Path.GetTempPath());

    public static string Default(uint uid, string? xdgRuntimeDir, string tempPath) =>
        uid == 0 ? Root
        : string.IsNullOrEmpty(xdgRuntimeDir) ? Path.Combine(tempPath, $"cluster-{uid}")
        : Path.Combine(xdgRuntimeDir, "cluster");

    /// <summary>A stable file name per config file, so two supervisors with different configs never share one.</summary>
    public static string FileFor(string runtimeDirectory, string configFile, string extension)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(configFile)))[..12];
        return Path.Combine(runtimeDirectory, $"{Path.GetFileNameWithoutExtension(configFile)}-{hash}{extension}");
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetUid();
}
