using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cluster.Supervisor.FileSafety;

/// <summary>What a file is and whose: lstat(2) of a path (the link itself, never its target) or fstat(2) of an open file.</summary>
/// <remarks>
/// .NET has no owner in its file APIs. statx(2) is used rather than stat(2) because its struct is the same on every
/// architecture (struct stat is not), so reading it needs no per-architecture layout.
/// </remarks>
internal sealed partial record FileStatus(FileKind Kind, int Mode, uint Owner, uint Group, uint Links)
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_BASIC_STATS = 0x7ff;
    private const int ENOENT = 2;

    /// <summary>The inode number: tells a file from another later put at the same path.</summary>
    public ulong Inode { get; init; }

    /// <summary>Permission bits only (rwx for user, group, others, and setuid, setgid, sticky).</summary>
    public int Permissions => Mode & 0xfff;

    /// <summary>Group or others may write (the folder's entries can then be replaced by someone else).</summary>
    public bool WritableByOthers => (Mode & 0b000_010_010) != 0;

    /// <summary>The mode as ls and chmod show it: "0755", "1777".</summary>
    public string OctalMode => Convert.ToString(Permissions, 8).PadLeft(4, '0');

    /// <summary>The path itself (a symbolic link is reported as one, not followed); null when nothing is there.</summary>
    /// <exception cref="IOException">Any other failure (permission denied on a folder of the path, ...).</exception>
    public static FileStatus? OfPath(string path) => Query(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, path);

    /// <summary>The path, following symbolic links; null when nothing is there.</summary>
    /// <exception cref="IOException">Any other failure.</exception>
    public static FileStatus? OfTarget(string path) => Query(AT_FDCWD, path, 0, path);

    /// <summary>The file an open descriptor refers to.</summary>
    /// <exception cref="IOException">statx failed.</exception>
    public static FileStatus Of(SafeFileHandle handle, string path)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return Query((int)handle.DangerousGetHandle(), string.Empty, AT_EMPTY_PATH, path)
                ?? throw new IOException($"cannot read what {path} is: it is gone");
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static FileStatus? Query(int directory, string path, int flags, string shownPath)
    {
        // struct statx is 256 bytes: mask u32, blksize u32, attributes u64, nlink u32 (16), uid u32 (20), gid u32 (24), mode u16 (28), ino u64 (32).
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(directory, path, flags, STATX_BASIC_STATS, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ENOENT ? null : throw new IOException($"cannot read what {shownPath} is: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]);
        return new FileStatus(
            KindOf(mode),
            mode,
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[24..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[16..]))
        {
            Inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]),
        };
    }

    private static FileKind KindOf(int mode) => (mode & 0xf000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xa000 => FileKind.SymbolicLink,
        0xc000 => FileKind.Socket,
        _ => FileKind.Other,
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
