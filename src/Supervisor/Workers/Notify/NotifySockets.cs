using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.FileSafety;

namespace Cluster.Supervisor.Workers.Notify;

/// <summary>
/// Datagram sockets in the control socket's folder, one per worker process, each readable and writable by the
/// supervisor's user only (mode 0600, as the control socket), or, for a worker that runs as another user
/// (worker.user), by that user only (the socket is given to it): a per-process socket tells the supervisor which worker
/// spoke whatever PID inside its process tree sent the message (systemd's NotifyAccess=all, scoped to one worker).
/// Their folder was checked at start (<see cref="Hosting.RunTimeFolders"/>); it is made passable (0711) for workers of
/// another user, who must reach their socket in it by name.
/// Never systemd's own socket: the supervisor's NOTIFY_SOCKET is taken out of the environment before any worker starts.
/// </summary>
internal sealed partial class NotifySockets(string folder) : INotifySockets
{
    /// <summary>The longest name <see cref="Open"/> makes: "notify-PID-ID-SEQ.sock" with 7, 4 and 10 digits.</summary>
    public const int LongestName = 35;

    private long _opened;

    public INotifyChannel Open(int workerId, WorkerIdentity? user, Action<NotifyMessage> received)
    {
        // The worker's user must pass through the folder to reach the socket by name (it may change on reload).
        if (user is not null && SafeFolders.LetOthersPass(folder, "control.socket") is { } unreachable)
        {
            throw new IOException(unreachable);
        }

        var sequence = Interlocked.Increment(ref _opened);
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"notify-{Environment.ProcessId}-{workerId}-{sequence}.sock"));
        // A name of this process's own (PID and sequence), so anything at it was left by an earlier process with this PID.
        File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            // Mode 0600 from bind itself (see OwnerOnlyCreation): this runs on the control loop, which starts every worker.
            using (OwnerOnlyCreation.Begin())
            {
                socket.Bind(new UnixDomainSocketEndPoint(path));
            }
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"cannot create the notify socket {path}: {e.Message}", e);
        }

        // Still mode 0600, now the worker's: no other user may send it anything, and receiving needs no permission.
        if (user is not null && Chown(path, user.Uid, user.Gid) != 0)
        {
            var error = Processes.Errno.Last();
            socket.Dispose();
            File.Delete(path);
            throw new IOException($"cannot give the notify socket {path} to {user}: {error}");
        }

        return new NotifyChannel(socket, path, received);
    }

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint uid, uint gid);
}
