using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cluster.Supervisor.FileSafety;

/// <summary>
/// open(2) with O_NOFOLLOW: a symbolic link at the path is never followed (the open fails with ELOOP), so a link
/// planted where the supervisor writes cannot send its writes to another file. .NET's File.Open has no such flag.
/// New files get their mode from open itself, before they have any content: never a chmod afterwards.
/// </summary>
internal static partial class NoFollowFile
{
    private const int O_RDONLY = 0;
    private const int O_WRONLY = 1;
    private const int O_CREAT = 0x40;
    private const int O_EXCL = 0x80;
    private const int O_APPEND = 0x400;
    private const int O_NONBLOCK = 0x800;
    private const int O_CLOEXEC = 0x80000;

    private const int EEXIST = 17;
    private const int ELOOP = 40;
    private const int ENXIO = 6;

    /// <summary>O_NOFOLLOW is 0400000 on x86-64 (asm-generic) and 0100000 on ARM.</summary>
    private static readonly int O_NOFOLLOW = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>A new file, created by this call with <paramref name="mode"/> (O_EXCL: never one that was already there).</summary>
    /// <exception cref="IOException">Something is at the path already (<see cref="AlreadyExistsException"/>), or it cannot be created.</exception>
    public static SafeFileHandle CreateNew(string path, UnixFileMode mode) =>
        Open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);

    /// <summary>
    /// A regular file to append to, created with <paramref name="mode"/> when missing. Refused when the path is a
    /// symbolic link, not a regular file (O_NONBLOCK: a FIFO cannot hold the open up), or has other hard links (one
    /// more name for a file elsewhere, which protected_hardlinks does not always prevent).
    /// </summary>
    /// <exception cref="IOException">It cannot be opened, or it is not a file the supervisor may append to.</exception>
    public static SafeFileHandle OpenForAppend(string path, UnixFileMode mode)
    {
        var handle = Open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW, mode);
        try
        {
            var status = FileStatus.Of(handle, path);
            if (status.Kind != FileKind.Regular)
            {
                throw new IOException($"refusing to write to {path}: it is not a regular file");
            }

            if (status.Links > 1)
            {
                throw new IOException($"refusing to write to {path}: it has {status.Links} hard links (another name for the same file exists); remove it");
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>An existing file to read, or null when there is none.</summary>
    /// <exception cref="IOException">It cannot be opened (a symbolic link among them).</exception>
    public static SafeFileHandle? OpenToRead(string path)
    {
        try
        {
            return Open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW, 0);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static SafeFileHandle Open(string path, int flags, UnixFileMode mode)
    {
        var fd = OpenNative(path, flags, (uint)mode);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        var errno = Marshal.GetLastPInvokeError();
        throw errno switch
        {
            ELOOP => new IOException($"refusing to open {path}: it is a symbolic link (not followed); remove it"),
            EEXIST => new AlreadyExistsException(path),
            ENXIO => new IOException($"refusing to open {path}: it is not a regular file"),
            2 => new FileNotFoundException($"{path} does not exist", path),
            13 => new UnauthorizedAccessException($"cannot open {path}: permission denied"),
            _ => new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags, uint mode);
}
