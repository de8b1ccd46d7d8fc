using Cluster.Shared.Configuration;
using Cluster.Supervisor.FileSafety;

namespace Cluster.Supervisor.Hosting;

/// <summary>
/// Before anything is written: the folders of the pid file and the control socket (where the notify sockets go too).
/// The default runtime folder must be the supervisor's own private one (<see cref="SafeFolders.EnsurePrivate"/>); a
/// folder set in the config must be writable by no one but its owner, the supervisor's user or root.
/// </summary>
internal static class RunTimeFolders
{
    /// <summary>Null when every folder is fit (created where missing), else why the supervisor must not start.</summary>
    public static string? Prepare(SupervisorConfig config, string defaultFolder)
    {
        var folders = new[] { (Folder: Path.GetDirectoryName(config.PidFile)!, Setting: "pidFile"), (Folder: config.Control.NotifyFolder, Setting: "control.socket") }
            .DistinctBy(f => f.Folder);
        foreach (var (folder, setting) in folders)
        {
            var problem = folder == defaultFolder.TrimEnd('/') ? SafeFolders.EnsurePrivate(folder) : SafeFolders.EnsureWritableOnlyByOwner(folder, setting);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }
}
