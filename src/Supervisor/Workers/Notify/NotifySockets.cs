using System.Globalization;
using System.Net.Sockets;
using Cluster.Supervisor.FileSafety;

namespace Cluster.Supervisor.Workers.Notify;

/// <summary>
/// Datagram sockets in the control socket's folder, one per worker process, each readable and writable by the
/// supervisor's user only (mode 0600, as the control socket): a per-process socket tells the supervisor which worker
/// spoke whatever PID inside its process tree sent the message (systemd's NotifyAccess=all, scoped to one worker).
/// Their folder was checked at start (<see cref="Hosting.RunTimeFolders"/>).
/// Never systemd's own socket: the supervisor's NOTIFY_SOCKET is taken out of the environment before any worker starts.
/// </summary>
internal sealed class NotifySockets(string folder) : INotifySockets
{
    /// <summary>The longest name <see cref="Open"/> makes: "notify-PID-ID-SEQ.sock" with 7, 4 and 10 digits.</summary>
    public const int LongestName = 35;

    private long _opened;

    public INotifyChannel Open(int workerId, Action<NotifyMessage> received)
    {
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

        return new NotifyChannel(socket, path, received);
    }
}
