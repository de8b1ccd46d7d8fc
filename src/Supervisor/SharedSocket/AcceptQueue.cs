using System.Globalization;

namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// The connections waiting in the shared socket's accept queue: connected by the kernel, accepted by no worker yet.
/// For a listening socket, /proc/net/tcp's rx_queue is that queue's length (and tx_queue its limit, the backlog), as
/// `ss -lnt` shows in Recv-Q; found by the socket's inode. This is the busy signal of a shared socket, where no front
/// end sees the requests (uWSGI's "backlog" cheaper algorithm reads the same number): connections that wait mean every
/// worker is busy. Read once per pool check, never on a request path.
/// </summary>
internal static class AcceptQueue
{
    /// <summary>
    /// The connections waiting on the listening socket of inode <paramref name="inode"/> in rows of /proc/net/tcp
    /// (<see cref="ProcNetTcp.Rows"/>: a pool check reads them once for this and the connections per worker); null when
    /// it is not found.
    /// </summary>
    public static long? Length(long inode, IEnumerable<TcpSocketRow> rows)
    {
        var wanted = inode.ToString(CultureInfo.InvariantCulture);
        return rows.FirstOrDefault(row => row.IsListening && row.Inode == wanted)?.RxQueue;
    }
}
