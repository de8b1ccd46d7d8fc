using System.Net;
using System.Net.Sockets;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.SharedSocket;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.SharedSocket;

/// <summary>The shared socket's accept queue, read from /proc/net/tcp's rx_queue for the listener: the busy signal of a shared socket.</summary>
public sealed class AcceptQueueTests
{
    [Test]
    public void A_listening_row_gives_its_rx_queue_and_inode()
    {
        const string Row = "   1: 0100007F:1F90 00000000:0000 0A 0000FFFF:00000003 00:00000000 00000000  1000        0 26161 1 0000000000000000 100 0 0 10 0";

        Assert.That(ProcNetTcp.Parse(Row), Is.EqualTo(new TcpSocketRow(8080, "0A", 3, "26161")));
        Assert.That(ProcNetTcp.Parse(Row)!.IsListening, Is.True);
        Assert.That(ProcNetTcp.Parse("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"), Is.Null, "the heading");
    }

    [Test]
    public async Task Connections_no_worker_has_accepted_are_counted_and_leave_the_count_once_accepted()
    {
        using var listener = SharedListener.Bind(new ListenAddress("http://127.0.0.1:0", ListenHost.Address, IPAddress.Loopback, 0));
        Assert.That(AcceptQueue.Length(listener.Inode, ProcNetTcp.Rows()), Is.EqualTo(0));

        var clients = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = new TcpClient();
                clients.Add(client);
                await client.ConnectAsync(IPAddress.Loopback, listener.Port);
            }

            // The kernel completes the handshakes itself; the queue shows them as soon as they are done.
            Assert.That(await Eventually.TrueAsync(() => AcceptQueue.Length(listener.Inode, ProcNetTcp.Rows()) == 3, TimeSpan.FromSeconds(30)), Is.True, $"queue: {AcceptQueue.Length(listener.Inode, ProcNetTcp.Rows())}");

            // A worker's accept, through a descriptor of the listener of its own, as a worker inherits one.
            using var worker = new Socket(new SafeSocketHandle(listener.DuplicateForChild(), ownsHandle: true));
            using var accepted = worker.Accept();
            Assert.That(await Eventually.TrueAsync(() => AcceptQueue.Length(listener.Inode, ProcNetTcp.Rows()) == 2, TimeSpan.FromSeconds(30)), Is.True, $"queue: {AcceptQueue.Length(listener.Inode, ProcNetTcp.Rows())}");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public void A_socket_that_is_not_there_has_no_queue() => Assert.That(AcceptQueue.Length(long.MaxValue, ProcNetTcp.Rows()), Is.Null);

    [Test]
    public void One_read_of_the_table_serves_the_accept_queue_and_the_connections_on_the_port()
    {
        TcpSocketRow[] rows = [new(8080, ProcNetTcp.Listening, 4, "100"), new(8080, "01", 0, "101"), new(8080, "01", 2, "102"), new(9090, "01", 0, "103"), new(9090, ProcNetTcp.Listening, 1, "104")];

        Assert.That(AcceptQueue.Length(100, rows), Is.EqualTo(4));
        Assert.That(AcceptQueue.Length(101, rows), Is.Null, "a connected socket has no accept queue");
        Assert.That(ConnectionCounter.ConnectedSockets(8080, rows), Is.EquivalentTo(new[] { "101", "102" }), "the listener is not a connection");
    }
}
