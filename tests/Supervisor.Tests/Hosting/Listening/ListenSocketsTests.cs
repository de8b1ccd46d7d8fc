using System.Net;
using System.Net.Sockets;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Hosting;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Tests.Fakes;
using Microsoft.AspNetCore.Http;

namespace Cluster.Supervisor.Tests.Hosting.Listening;

/// <summary>Inherited sockets matched to the config's addresses, the others bound; and a server that stops leaves a shared socket listening.</summary>
public sealed class ListenSocketsTests
{
    [TestCase("http://127.0.0.1:8080", "127.0.0.1:8080", true)]
    [TestCase("http://127.0.0.1:8080", "127.0.0.1:8081", false)]
    [TestCase("http://127.0.0.1:8080", "0.0.0.0:8080", false)]
    [TestCase("http://0.0.0.0:8080", "0.0.0.0:8080", true)]
    [TestCase("http://0.0.0.0:8080", "[::]:8080", false)]
    [TestCase("http://[::]:8080", "[::]:8080", true)]
    [TestCase("http://localhost:8080", "127.0.0.1:8080", true)]
    [TestCase("http://localhost:8080", "[::1]:8080", true)]
    [TestCase("http://localhost:8080", "10.0.0.1:8080", false)]
    [TestCase("http://*:8080", "[::]:8080", true)]
    [TestCase("http://*:8080", "0.0.0.0:8080", true)]
    [TestCase("http://*:8080", "127.0.0.1:8080", false)]
    [TestCase("http://127.0.0.1:0", "127.0.0.1:41234", true)]
    [TestCase("http://127.0.0.1:8080", "[::ffff:127.0.0.1]:8080", true)]
    public void An_inherited_socket_serves_the_address_the_supervisor_would_have_bound(string url, string socket, bool matches) =>
        Assert.That(AddressMatch.Matches(Address(url), IPEndPoint.Parse(socket)), Is.EqualTo(matches));

    [Test]
    public void Without_inherited_sockets_every_address_is_bound_here()
    {
        using var result = Open(Config(Address("http://127.0.0.1:0")), InheritedSockets.None).Sockets;
        Assert.That(result, Is.Not.Null);
        Assert.That((result!.Origin, result.Inherited), Is.EqualTo((SocketOrigin.Bound, false)));
        var socket = result.For(Address("http://127.0.0.1:0")).Single();
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection), Is.Not.Zero, "not listening");
    }

    [Test]
    public void A_previous_supervisors_sockets_serve_the_addresses_they_match_and_the_others_are_closed()
    {
        using var held = Listening();
        using var dropped = Listening();
        var address = Address($"http://127.0.0.1:{Port(held)}");
        var inherited = InheritedSockets.FromDescriptors(SocketOrigin.Predecessor, [(Duplicate(held), "listen"), (Duplicate(dropped), "listen")]);

        var result = Open(Config(address), inherited);
        using var sockets = result.Sockets;
        Assert.That(sockets!.Inherited, Is.True);
        Assert.That(sockets.For(address).Single().LocalEndPoint, Is.EqualTo(held.LocalEndPoint));
        Assert.That(result.Unused, Has.Count.EqualTo(1).And.Some.Contains($"on 127.0.0.1:{Port(dropped)}"));
        Assert.That(sockets.Describe(), Is.EqualTo($"{address.Url} (from the previous supervisor)"));
    }

    [Test]
    public void Sockets_from_systemd_that_match_no_address_or_leave_a_listener_without_one_are_named()
    {
        using var socket = Listening();
        var listen = Address("http://127.0.0.1:1");
        var result = Open(Config(listen), InheritedSockets.FromDescriptors(SocketOrigin.Systemd, [(Duplicate(socket), "cluster")]));
        Assert.That(result.Sockets, Is.Null);
        Assert.That(result.Mismatches, Has.Count.EqualTo(2));
        Assert.That(result.Mismatches[0], Does.Match($@"^fd \d+ \(cluster\) on 127\.0\.0\.1:{Port(socket)} matches no address of the config \(listen http://127\.0\.0\.1:1\)$"));
        Assert.That(result.Mismatches[1], Does.Match($@"^listen http://127\.0\.0\.1:1 has no socket among those systemd passed \(fd \d+ \(cluster\) on 127\.0\.0\.1:{Port(socket)}\): add a ListenStream= for it to the \.socket unit, or remove it from listen$"));
    }

    [Test]
    public void A_socket_named_for_an_address_must_be_that_one_and_the_metrics_port_may_be_bound_here()
    {
        using var socket = Listening();
        var listen = Address($"http://127.0.0.1:{Port(socket)}");
        var metricsElsewhere = Config(listen) with { Metrics = new MetricsConfig { Listen = Address("http://127.0.0.1:1") } };
        var named = Open(metricsElsewhere, InheritedSockets.FromDescriptors(SocketOrigin.Systemd, [(Duplicate(socket), "metrics.listen")]));
        Assert.That(named.Mismatches, Has.Some.Match($@"^fd \d+ \(metrics\.listen\) on 127\.0\.0\.1:{Port(socket)} is named for metrics\.listen, which is metrics\.listen http://127\.0\.0\.1:1$"));

        var withMetrics = Config(listen) with { Metrics = new MetricsConfig { Listen = Address("http://127.0.0.1:0") } };
        var result = Open(withMetrics, InheritedSockets.FromDescriptors(SocketOrigin.Systemd, [(Duplicate(socket), "listen")]));
        using var sockets = result.Sockets;
        Assert.That(result.Mismatches, Is.Empty);
        Assert.That(sockets!.Describe(), Is.EqualTo($"{listen.Url} (from systemd), http://127.0.0.1:0 (bound)"));
    }

    [Test]
    public void A_descriptor_that_is_not_a_listening_TCP_socket_is_refused_and_left_open()
    {
        using var file = File.OpenHandle(Path.GetTempFileName(), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.DeleteOnClose);
        var fd = (int)file.DangerousGetHandle();
        var inherited = InheritedSockets.FromDescriptors(SocketOrigin.Systemd, [(fd, null)]);
        Assert.That(inherited.Problems, Is.EqualTo(new[] { $"fd {fd} is not a listening TCP socket (not a socket): only sockets with an IP address and port (ListenStream=) can serve a listen address" }));
        Assert.That(Descriptors.IsOpen(fd), Is.True, "a descriptor that is not ours to close was closed");
    }

    [Test]
    public async Task A_server_that_stops_accepting_and_is_disposed_leaves_a_shared_socket_listening_for_the_other_holder()
    {
        // The test holds the socket, as systemd or a new supervisor would; the server gets a descriptor of its own.
        using var shared = Listening();
        var address = Address($"http://127.0.0.1:{Port(shared)}");
        var result = Open(Config(address), InheritedSockets.FromDescriptors(SocketOrigin.Systemd, [(Duplicate(shared), null)]));
        using var sockets = result.Sockets!;
        var server = new SingleHandlerServer("test", sockets.For(address), sockets, context => context.Response.WriteAsync("served"), new Serilog.LoggerConfiguration().CreateLogger());
        await server.StartAsync();
        using (var client = new HttpClient())
        {
            Assert.That(await client.GetStringAsync(address.Url), Is.EqualTo("served"));
        }

        await server.StopAcceptingAsync();
        await server.DisposeAsync();
        sockets.Dispose();

        using var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await connecting.ConnectAsync(shared.LocalEndPoint!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var accepted = await shared.AcceptAsync(timeout.Token);
        Assert.That(accepted.RemoteEndPoint, Is.EqualTo(connecting.LocalEndPoint), "the socket stopped listening when the server went");
    }

    private static ListenSocketsResult Open(SupervisorConfig config, InheritedSockets inherited) => ListenSockets.Open(config, inherited);

    private static SupervisorConfig Config(ListenAddress listen) => TestConfigs.Create() with { Listeners = [new ListenerConfig(listen)] };

    private static ListenAddress Address(string url)
    {
        var uri = new Uri(url.Replace("*", "0.0.0.0", StringComparison.Ordinal));
        var host = url.Contains("localhost", StringComparison.Ordinal) ? ListenHost.Localhost : url.Contains('*', StringComparison.Ordinal) ? ListenHost.AnyInterface : ListenHost.Address;
        return new ListenAddress(url, host, host == ListenHost.Address ? IPAddress.Parse(uri.Host.Trim('[', ']')) : null, uri.Port);
    }

    private static Socket Listening()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(16);
        return socket;
    }

    private static int Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>A descriptor of the socket of the supervisor's own, as an inherited one would be.</summary>
    private static int Duplicate(Socket socket) => Descriptors.DuplicateForChild((int)socket.SafeHandle.DangerousGetHandle());
}
