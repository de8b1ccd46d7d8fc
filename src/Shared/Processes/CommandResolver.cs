namespace Cluster.Shared.Processes;

/// <summary>
/// Finds the program a worker runs, as a shell would: a name without a slash is looked up on PATH; a path is taken
/// relative to the config file's folder. Done once at validation, so a typo is a config error, not a crash loop.
/// </summary>
internal static class CommandResolver
{
    public static string? Resolve(string command, string baseDirectory, string? searchPath, out string? problem)
    {
        problem = null;
        if (command.Contains('/'))
        {
            var path = Path.GetFullPath(command, baseDirectory);
            problem = ProblemWith(path);
            return problem is null ? path : null;
        }

        foreach (var directory in (searchPath ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (ProblemWith(candidate) is null)
            {
                return Path.GetFullPath(candidate);
            }
        }

        problem = $"\"{command}\" was not found on PATH ({searchPath}); give a full path or fix PATH";
        return null;
    }

    private static string? ProblemWith(string path)
    {
        if (Directory.Exists(path))
        {
            return $"\"{path}\" is a directory, not a program";
        }

        if (!File.Exists(path))
        {
            return $"\"{path}\" does not exist";
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) == 0 ? $"\"{path}\" is not executable (chmod +x?)" : null;
    }
}
