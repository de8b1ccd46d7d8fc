using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// Whether the configured log files can be written, checked before anything starts: Serilog's file sink would only
/// drop events (and tell its SelfLog) if a file cannot be opened, which nobody notices until the log is needed.
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
        if (log.File.Path is { } path && Problem(path, createFolders) is { } problem)
        {
            errors.Add(new ConfigError("$.log.file.path", $"cannot open {path} for writing: {problem}"));
        }

        if (log.WorkerFiles is { } pattern && Problem(WorkerOutputFiles.PathFor(pattern, 0), createFolders) is { } workerProblem)
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
                Directory.CreateDirectory(folder);
                existing = folder;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"cannot create the folder {folder}: {Reason(e, existing)}";
            }
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

    private static string Reason(Exception e, string folder) =>
        e is UnauthorizedAccessException ? $"permission denied (the folder {folder} is not writable by this user)" : e.Message;
}
