using Cluster.Shared.Configuration;
using Cluster.Supervisor.FileSafety;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// Whether the configured log files can be written, checked before anything starts: the file writer would only drop
/// events (and say so on stderr) if a file cannot be opened, which nobody notices until the log is needed. A log's
/// folder must also be writable by no one but its owner, the supervisor's user or root (as logrotate refuses an
/// insecure parent folder): another user who can add entries there can plant a link named like tomorrow's file. And a
/// symbolic link already named like one of the log's files is refused (the writer never follows one): the start fails
/// and says which, rather than the log silently going nowhere.
/// </summary>
internal static class LogFileCheck
{
    /// <summary>
    /// One error per log that cannot be written. With <paramref name="createFolders"/> (start) missing folders are
    /// created; without it (check) nothing is left behind.
    /// </summary>
    public static IReadOnlyList<ConfigError> Check(LogConfig log, bool createFolders)
    {
        var errors = new List<ConfigError>();
        if (log.File.Path is { } path && (Problem(path, createFolders) ?? Planted(path, log.File.RollingInterval, "log.file.path")) is { } problem)
        {
            errors.Add(new ConfigError("$.log.file.path", $"cannot open {path} for writing: {problem}"));
        }

        if (log.WorkerFiles is { } pattern && (Problem(WorkerOutputFiles.PathFor(pattern, Cluster.Shared.Configuration.AppConfig.DefaultName, 0), createFolders) ?? Planted(pattern, log.File.RollingInterval, "log.workerFiles")) is { } workerProblem)
        {
            errors.Add(new ConfigError("$.log.workerFiles", $"cannot write worker log files {pattern}: {workerProblem}"));
        }

        return errors;
    }

    private static string? Problem(string file, bool createFolder)
    {
        if (Directory.Exists(file))
        {
            return $"it is a folder; name a file in it, e.g. {Path.Combine(file, "supervisor.log")}";
        }

        var folder = Path.GetDirectoryName(file)!;
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                return $"{existing} is a file, not a folder";
            }

            existing = Path.GetDirectoryName(existing)!;
        }

        if (createFolder && existing != folder)
        {
            try
            {
                Directory.CreateDirectory(folder, RollingLogFile.FolderMode);
                existing = folder;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"cannot create the folder {folder}: {Reason(e, existing)}";
            }
        }

        if (existing == folder && SafeFolders.CheckWritableOnlyByOwner(folder, "its folder") is { } unsafeFolder)
        {
            return unsafeFolder;
        }

        try
        {
            // A file that is deleted when closed: proves the folder takes new files, and leaves nothing behind.
            var probe = Path.Combine(existing, $".{Path.GetFileName(file)}.{Environment.ProcessId}.probe");
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Reason(e, existing);
        }
    }

    /// <summary>A symbolic link (or anything but a regular file) named like one of the log's files; for worker files, of any worker.</summary>
    private static string? Planted(string path, LogRollingInterval interval, string setting)
    {
        var rolled = Path.GetFileName(RollingFileNames.RolledPath(path, interval));
        var folder = Path.GetDirectoryName(path)!;
        var placeholder = rolled.IndexOf(WorkerOutputFiles.Placeholder, StringComparison.Ordinal);
        var names = placeholder < 0 ? new RollingFileNames(path, interval) : null;
        var (start, end) = placeholder < 0 ? (string.Empty, string.Empty) : (rolled[..placeholder], Path.GetExtension(rolled));
        if (!Directory.Exists(folder))
        {
            return null;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = Path.GetFileName(entry);
            var ours = names is not null ? names.Parse(name) is not null : name.StartsWith(start, StringComparison.Ordinal) && name.EndsWith(end, StringComparison.Ordinal);
            if (ours && FileStatus.OfPath(entry) is { Kind: not FileKind.Regular } status)
            {
                return $"{entry} is {(status.Kind == FileKind.SymbolicLink ? "a symbolic link" : "not a regular file")}: the supervisor writes its logs only to regular files and never follows a link ({setting}); remove it";
            }
        }

        return null;
    }

    private static string Reason(Exception e, string folder) =>
        e is UnauthorizedAccessException ? $"permission denied (the folder {folder} is not writable by this user)" : e.Message;
}
