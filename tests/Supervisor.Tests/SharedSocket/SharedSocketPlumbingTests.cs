using System.Net;
using System.Net.Sockets;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.SharedSocket;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.Supervisor.Workers.Launching;
using Cluster.TestSupport;

namespace Cluster.Supervisor.Tests.SharedSocket;

/// <summary>What a worker is given in shared-socket mode, and what the supervisor reads back from /proc.</summary>
public sealed class SharedSocketPlumbingTests
{
    [Test]
    public void A_shared_socket_worker_gets_the_socket_activation_variables_and_fd_3_for_the_placeholder()
    {
        var worker = TestConfigs.Create().DefaultApp().Worker with { Args = ["--fd", "{fd}", "--port", "{port}"], Env = new Dictionary<string, string> { ["BIND"] = "fd://{fd}" } };

        var info = WorkerStartInfo.Build(worker, workerId: 1, port: 5001, supervisorPid: 9, sharedSocket: true, notifySocket: "/run/x/notify-9-1-3.sock");

        Assert.That(info.Arguments, Is.EqualTo(new[] { "--fd", "3", "--port", "5001" }));
        Assert.That(info.Environment["BIND"], Is.EqualTo("fd://3"));
        Assert.That(info.Environment["LISTEN_FDS"], Is.EqualTo("1"));
        Assert.That(info.Environment["LISTEN_FDNAMES"], Is.EqualTo("http"));
        Assert.That(info.Environment["NOTIFY_SOCKET"], Is.EqualTo("/run/x/notify-9-1-3.sock"));
        Assert.That(info.Environment.ContainsKey("LISTEN_PID"), Is.False, "the exec shim sets LISTEN_PID, once the worker's PID exists");
    }

    [Test]
    public void A_proxied_worker_gets_no_socket_activation_variables()
    {
        var info = WorkerStartInfo.Build(TestConfigs.Create().DefaultApp().Worker, workerId: 0, port: 5000, supervisorPid: 9);

        Assert.That(info.Environment.Keys, Has.None.StartsWith("LISTEN_").And.None.EqualTo("NOTIFY_SOCKET"));
    }

    [Test]
    public void The_exec_shim_is_told_which_descriptor_to_pass_on()
    {
        var target = new ChildProcessStartInfo("/usr/bin/gunicorn", ["app:app"], new Dictionary<string, string>(), "/srv");

        var wrapped = ExecShim.Wrap(target, ["/usr/bin/dotnet", "/opt/supervisor.dll"], new ExecShimOptions(ParentPid: 77, ListenFd: 42));

        Assert.That(wrapped.FileName, Is.EqualTo("/usr/bin/dotnet"));
        Assert.That(wrapped.Arguments, Is.EqualTo(new[] { "/opt/supervisor.dll", "__exec", "77", "--listen-fd", "42", "--", "/usr/bin/gunicorn", "app:app" }));
    }

    [TestCase("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 26161 1 0 100 0 0 10 0", 8080, "0A", "26161")]
    [TestCase("   5: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D1C2 01 00000000:00000000 00:00000000 00000000  1000        0 9911 1 0 20 4 30 10 -1", 8080, "01", "9911")]
    public void A_proc_net_tcp_row_gives_the_local_port_state_and_inode(string row, int port, string state, string inode) =>
        Assert.That(ProcNetTcp.Parse(row), Is.EqualTo(new TcpSocketRow(port, state, 0, inode)));

    [Test]
    public void A_process_waiting_to_accept_on_the_socket_is_seen_as_accepting()
    {
        using var listener = SharedListener.Bind(new ListenAddress("http://127.0.0.1:0", ListenHost.Address, IPAddress.Loopback, 0));
        Assert.That(AcceptWatch.IsAccepting(Environment.ProcessId, listener.Inode), Is.False, "nothing accepts on it yet");

        // A pending AcceptAsync registers the socket with the runtime's epoll, as a server's accept loop does.
        var descriptor = listener.DuplicateForChild();
        using var accepting = new Socket(new SafeSocketHandle(descriptor, ownsHandle: true));
        var pending = accepting.AcceptAsync();

        Assert.That(AcceptWatch.IsAccepting(Environment.ProcessId, listener.Inode), Is.True);
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, listener.Port);
        Assert.That(pending.Wait(Waits.Patience), Is.True);
        pending.Result.Dispose();
    }

    [Test]
    public void Connections_on_the_port_are_counted_per_holder()
    {
        using var listener = SharedListener.Bind(new ListenAddress("http://127.0.0.1:0", ListenHost.Address, IPAddress.Loopback, 0));
        using var accepting = new Socket(new SafeSocketHandle(listener.DuplicateForChild(), ownsHandle: true));
        using var client1 = new TcpClient("127.0.0.1", listener.Port);
        using var client2 = new TcpClient("127.0.0.1", listener.Port);
        using var server1 = accepting.Accept();
        using var server2 = accepting.Accept();

        var counts = new ConnectionCounter(() => listener.Port).Count(new Dictionary<int, HashSet<int>> { [Environment.ProcessId] = [Environment.ProcessId] });

        // The accepted ends; the clients' ends are on other local ports.
        Assert.That(counts[Environment.ProcessId], Is.EqualTo(2));
    }
}
