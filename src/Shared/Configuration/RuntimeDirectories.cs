using System.Runtime.InteropServices;

namespace Cluster.Shared.Configuration;

/// <summary>Where run-time files (the pid file) live by default: $XDG_RUNTIME_DIR/cluster, else /tmp/cluster-UID.</summary>
public static partial class RuntimeDirectories
{
    public static string Default(string? xdgRuntimeDir) =>
        string.IsNullOrEmpty(xdgRuntimeDir)
            ? Path.Combine(Path.GetTempPath(), $"cluster-{GetUid()}")
            : Path.Combine(xdgRuntimeDir, "cluster");

    /// <summary>A stable file name per config file, so two supervisors with different configs never share one.</summary>
    public static string FileFor(string runtimeDirectory, string configFile, string extension)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(configFile)))[..12];
        return Path.Combine(runtimeDirectory, $"{Path.GetFileNameWithoutExtension(configFile)}-{hash}{extension}");
    }

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();
}
