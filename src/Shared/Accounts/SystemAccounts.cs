using System.Globalization;
using System.Runtime.InteropServices;

namespace Cluster.Shared.Accounts;

/// <summary>
/// The machine's users and groups, through the C library (getpwnam_r(3) and friends), so that every source NSS is set
/// to read counts (/etc/passwd, LDAP, systemd's DynamicUser), as for `getent passwd NAME`. .NET has no API for this.
/// </summary>
public sealed unsafe partial class SystemAccounts : IAccountDatabase
{
    public static readonly SystemAccounts Instance = new();

    private const int ERANGE = 34;

    private SystemAccounts()
    {
    }

    public UserAccount? FindUser(string nameOrId) => Lookup(nameOrId, (Passwd* entry, byte* buffer, nuint length, Passwd** result) =>
        IsNumber(nameOrId, out var uid) ? GetPasswordById(uid, entry, buffer, length, result) : GetPasswordByName(nameOrId, entry, buffer, length, result),
        (Passwd* entry) => new UserAccount(Text(entry->Name), entry->Uid, entry->Gid, Text(entry->Home)));

    public GroupAccount? FindGroup(string nameOrId) => Lookup(nameOrId, (GroupEntry* entry, byte* buffer, nuint length, GroupEntry** result) =>
        IsNumber(nameOrId, out var gid) ? GetGroupById(gid, entry, buffer, length, result) : GetGroupByName(nameOrId, entry, buffer, length, result),
        (GroupEntry* entry) => new GroupAccount(Text(entry->Name), entry->Gid));

    private delegate int Query<TEntry>(TEntry* entry, byte* buffer, nuint length, TEntry** result)
        where TEntry : unmanaged;

    private delegate T ToAccount<TEntry, T>(TEntry* entry)
        where TEntry : unmanaged;

    /// <summary>The *_r call with a buffer that grows while the C library says it is too small (ERANGE).</summary>
    private static T? Lookup<TEntry, T>(string nameOrId, Query<TEntry> query, ToAccount<TEntry, T> convert)
        where TEntry : unmanaged
        where T : class
    {
        if (nameOrId.Length == 0 || nameOrId.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        for (nuint length = 4096; length <= 1 << 24; length *= 4)
        {
            var buffer = (byte*)NativeMemory.Alloc(length);
            try
            {
                TEntry entry;
                TEntry* result = null;
                var error = query(&entry, buffer, length, &result);
                if (error != ERANGE)
                {
                    // Any other error (an unreachable LDAP server, say) is reported as "no such user" by getent too.
                    return error == 0 && result is not null ? convert(result) : null;
                }
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }

        return null;
    }

    /// <summary>All digits: a numeric ID (no user or group name is all digits: useradd and groupadd refuse them).</summary>
    private static bool IsNumber(string text, out uint id) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static string Text(nint pointer) => Marshal.PtrToStringUTF8(pointer) ?? string.Empty;

    /// <summary>struct passwd (pwd.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Home;
        public nint Shell;
    }

    /// <summary>struct group (grp.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct GroupEntry
    {
        public nint Name;
        public nint Password;
        public uint Gid;
        public nint Members;
    }

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetPasswordByName(string name, Passwd* entry, byte* buffer, nuint length, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    private static partial int GetPasswordById(uint uid, Passwd* entry, byte* buffer, nuint length, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetGroupByName(string name, GroupEntry* entry, byte* buffer, nuint length, GroupEntry** result);

    [LibraryImport("libc", EntryPoint = "getgrgid_r")]
    private static partial int GetGroupById(uint gid, GroupEntry* entry, byte* buffer, nuint length, GroupEntry** result);
}
