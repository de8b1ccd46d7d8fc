using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.SharedSocket;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>Makes the front end that "frontEnd" names.</summary>
internal static class FrontEndFactory
{
    /// <param name="tls">The certificates of the https:// listeners (proxy only: a shared socket has none).</param>
    /// <param name="sockets">The supervisor's listening sockets, bound or inherited.</param>
    public static IPublicFrontEnd Create(SupervisorConfig config, ListenSockets sockets, Serilog.ILogger serilog, ILoggerFactory loggerFactory, TimeProvider time, TlsCertificateStore? tls = null) =>
        config.FrontEnd == FrontEndMode.SharedSocket
            ? new SharedSocketFrontEnd(config, sockets, serilog, loggerFactory)
            : new ProxyFrontEnd(config, sockets, serilog, tls, time);
}
