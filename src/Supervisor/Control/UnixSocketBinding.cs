using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Cluster.Supervisor.Control;

/// <summary>
/// A listening Unix domain socket bound at a path with socket(2), bind(2) and listen(2) directly. A .NET Socket that
/// binds a path itself unlinks that path when it is disposed, whatever is there by then; after an upgrade the path is
/// the new supervisor's socket, so the old one's must not take it with it. This socket's file is removed only by its
/// owner, and only while it is still this socket (<see cref="ControlServer"/> compares the inode).
/// </summary>
internal static partial class UnixSocketBinding
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int SunPathLength = 108;

    /// <exception cref="SocketException">The path is taken, too long, or its folder not writable.</exception>
    public static Socket Listen(string path, int backlog)
    {
        var name = Encoding.UTF8.GetBytes(path);
        if (name.Length >= SunPathLength)
        {
            throw new SocketException((int)SocketError.InvalidArgument, $"the socket path {path} is longer than {SunPathLength - 1} bytes");
        }

        var fd = SocketNative(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw LastError();
        }

        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            // struct sockaddr_un: sa_family_t (2 bytes), then the path, NUL-terminated.
            var address = new byte[2 + SunPathLength];
            BitConverter.TryWriteBytes(address.AsSpan(0, 2), (ushort)AF_UNIX);
            name.CopyTo(address, 2);
            if (BindNative(fd, address, 2 + name.Length + 1) < 0 || ListenNative(fd, backlog) < 0)
            {
                throw LastError();
            }

            return new Socket(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static SocketException LastError() => new(Marshal.GetLastPInvokeError());

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int SocketNative(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int BindNative(int fd, byte[] address, int length);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    private static partial int ListenNative(int fd, int backlog);
}
