namespace Cluster.Supervisor.FileSafety;

/// <summary>
/// The folders the supervisor writes its run-time files and logs in must be ones that no other user can change: another
/// user who can add or replace entries there could plant a link where the supervisor is about to write, or a socket where
/// the CLI expects the supervisor's. Each check returns null when the folder is fit, else a message that names the
/// folder, its owner and mode, and what to do.
/// </summary>
internal static class SafeFolders
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// The default runtime folder (in /tmp, $XDG_RUNTIME_DIR or /run, under a name anyone can guess), as tmux treats
    /// /tmp/tmux-UID: created with mode 0700 when missing; when it exists, used only if it is a real folder (not a
    /// link) of the supervisor's own user that no one else may list or write: no one else may even enter it, unless it
    /// was made passable (0711) for workers of another user (<see cref="LetOthersPass"/>).
    /// </summary>
    public static string? EnsurePrivate(string folder)
    {
        try
        {
            if (FileStatus.OfPath(folder) is null)
            {
                // Only the last component is new in the usual case ($TMPDIR, $XDG_RUNTIME_DIR and /run exist).
                Directory.CreateDirectory(folder, OwnerOnly);
            }

            var status = FileStatus.OfPath(folder)!;
            if (status.Kind == FileKind.Directory && status.Owner == Users.Current && (status.Permissions & 0b000_110_110) == 0)
            {
                return null;
            }

            return $"the runtime folder {folder} is {Describe(status)}; the supervisor uses it only when it is a folder of its own user ({Users.Describe(Users.Current)}) with mode 0700, as it creates it. "
                + "Another user may have made it to take over the supervisor's files: find out who, remove it, and start again; or set pidFile and control.socket in the config to a folder of your own";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot create the runtime folder {folder}: {e.Message}; set pidFile and control.socket in the config to a folder this user can write";
        }
    }

    /// <summary>
    /// A folder named in the config (pidFile, control.socket): created (mode 0700) when missing; else it must be owned by
    /// the supervisor's user or root and writable by no one else (as logrotate demands of a log's folder). It may be
    /// reached through a link (/var/run to /run) if that link too belongs to the supervisor's user or root.
    /// </summary>
    public static string? EnsureWritableOnlyByOwner(string folder, string setting, UnixFileMode createMode = OwnerOnly)
    {
        try
        {
            if (FileStatus.OfTarget(folder) is null && FileStatus.OfPath(folder) is null)
            {
                Directory.CreateDirectory(folder, createMode);
            }

            return CheckWritableOnlyByOwner(folder, setting);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot create the folder {folder} ({setting}): {e.Message}";
        }
    }

    /// <summary>Like <see cref="EnsureWritableOnlyByOwner"/>, without creating anything (for `check`): a missing folder passes.</summary>
    public static string? CheckWritableOnlyByOwner(string folder, string setting)
    {
        try
        {
            if (FileStatus.OfPath(folder) is not { } link)
            {
                return null;
            }

            if (link.Kind == FileKind.SymbolicLink && !Users.IsSelfOrRoot(link.Owner))
            {
                return $"the folder {folder} ({setting}) is a symbolic link owned by {Users.Describe(link.Owner)}; the supervisor does not follow links of other users: name the real folder";
            }

            if (FileStatus.OfTarget(folder) is not { } status)
            {
                return $"the folder {folder} ({setting}) is a symbolic link to nothing";
            }

            if (status.Kind != FileKind.Directory)
            {
                return $"{folder} ({setting}) is not a folder";
            }

            if (!Users.IsSelfOrRoot(status.Owner) || status.WritableByOthers)
            {
                return $"the folder {folder} ({setting}) is {Describe(status)}: other users could replace the supervisor's files in it. "
                    + $"Use a folder owned by {Users.OwnerOrRoot} that only its owner may write (chmod go-w), not a shared one such as /tmp";
            }

            return null;
        }
        catch (IOException e)
        {
            return $"cannot check the folder {folder} ({setting}): {e.Message}";
        }
    }

    /// <summary>
    /// Lets group and others pass through a folder of the supervisor's (search, not list: mode 0711 for 0700), so that
    /// workers running as another user reach their notify sockets in it by name; what is in it keeps its own modes
    /// (0600). Null when done, else why not.
    /// </summary>
    public static string? LetOthersPass(string folder, string setting)
    {
        const UnixFileMode Pass = UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        try
        {
            var mode = File.GetUnixFileMode(folder);
            if ((mode & Pass) != Pass)
            {
                File.SetUnixFileMode(folder, mode | Pass);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the workers run as another user (worker.user) and must reach their notify sockets (readiness.notify) in {folder} ({setting}), but its mode cannot be changed to let other users pass through (chmod go+x): {e.Message}; do it yourself, or set control.socket in a folder they may pass through";
        }
    }

    private static string Describe(FileStatus status) => status.Kind switch
    {
        FileKind.Directory => $"a folder owned by {Users.Describe(status.Owner)} with mode {status.OctalMode}",
        FileKind.SymbolicLink => $"a symbolic link owned by {Users.Describe(status.Owner)}",
        _ => $"not a folder (owned by {Users.Describe(status.Owner)}, mode {status.OctalMode})",
    };
}
