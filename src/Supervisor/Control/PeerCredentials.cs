using System.Net.Sockets;
using Cluster.Supervisor.FileSafety;

namespace Cluster.Supervisor.Control;

/// <summary>
/// Who is on the other end of a Unix socket (SO_PEERCRED, from the kernel, not from anything the client says). Only the
/// supervisor's own user, and root, may use the control channel.
/// </summary>
internal static class PeerCredentials
{
    private const int SOL_SOCKET = 1;
    private const int SO_PEERCRED = 17;

    public static uint OwnUid => Users.Current;

    /// <summary>The peer's UID, or null when the kernel would not say.</summary>
    public static uint? PeerUid(Socket socket)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            return socket.GetRawSocketOption(SOL_SOCKET, SO_PEERCRED, credentials) == 12
                ? BitConverter.ToUInt32(credentials[4..8])
                : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    public static bool IsAllowed(uint? uid) => uid is { } peer && Users.IsSelfOrRoot(peer);
}
