using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.SharedSocket;
using Cluster.Supervisor.Workers;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>What owns the public address: the proxy (<see cref="FrontEndServer"/>) or the shared socket the workers accept from.</summary>
internal interface IPublicFrontEnd : IFrontEnd, IAsyncDisposable
{
    /// <summary>
    /// Starts accepting on the public sockets (and loadBalancerHealth.listen's): at start, or, with sockets inherited
    /// from systemd or a previous supervisor, once the workers are ready. Throws (IOException, SocketException,
    /// InvalidOperationException) when it cannot.
    /// </summary>
    Task StartAsync();

    /// <summary>Once the workers have exited after <see cref="IFrontEnd.DrainAsync"/>: ends what the front end still holds.</summary>
    Task CloseAsync();
}

internal static class PublicFrontEnd
{
    /// <param name="tls">The certificates of the https:// listeners (proxy only: a shared socket has none).</param>
    public static IPublicFrontEnd Create(SupervisorConfig config, ListenSockets sockets, Serilog.ILogger serilog, ILoggerFactory loggerFactory, TimeProvider time, TlsCertificateStore? tls = null) =>
        config.FrontEnd == FrontEndMode.SharedSocket
            ? new SharedSocketFrontEnd(config, sockets, serilog, loggerFactory)
            : new FrontEndServer(config, sockets, serilog, tls, time);
}
