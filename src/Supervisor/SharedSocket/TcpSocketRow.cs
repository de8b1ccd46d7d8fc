namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// One socket of /proc/net/tcp (or tcp6), the columns the shared socket reads: its local port, its state ("0A" is
/// listening), its receive queue (for a listener: the connections waiting to be accepted) and its inode, which names
/// it in a process's /proc/PID/fd as "socket:[INODE]".
/// </summary>
internal sealed record TcpSocketRow(int LocalPort, string State, long RxQueue, string Inode)
{
    public bool IsListening => State == ProcNetTcp.Listening;
}
