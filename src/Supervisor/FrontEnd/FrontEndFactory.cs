using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.SharedSocket;
using Cluster.Supervisor.Workers;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>Makes the front ends "frontEnd" names: the top-level one, and one for each app with a "listen" of its own.</summary>
internal static class FrontEndFactory
{
    /// <param name="sockets">The supervisor's listening sockets, bound or inherited (the apps' own listeners' too).</param>
    /// <param name="tls">The certificates of the https:// listeners (proxy only: a shared socket has none).</param>
    /// <param name="counters">Where every proxy counts its requests (one set for the machine, by app).</param>
    /// <param name="unreachable">Told when a proxy found a worker refusing connections.</param>
    public static FrontEndSet Create(SupervisorConfig config, ListenSockets sockets, Serilog.ILogger serilog, ILoggerFactory loggerFactory, TimeProvider time, TlsCertificateStore? tls, FrontEndCounters counters, Action<WorkerEndpoint, string> unreachable)
    {
        var own = config.Apps.Where(a => a.HasOwnListeners).ToDictionary(
            a => a.Name,
            a => CreateOne(ForOwnListeners(config, a), sockets, serilog, loggerFactory, time, tls: null, counters, unreachable));
        return new FrontEndSet(CreateOne(config, sockets, serilog, loggerFactory, time, tls, counters, unreachable), own);
    }

    /// <summary>One front end, as "frontEnd" says, on the listeners of <paramref name="config"/>.</summary>
    public static IPublicFrontEnd CreateOne(SupervisorConfig config, ListenSockets sockets, Serilog.ILogger serilog, ILoggerFactory loggerFactory, TimeProvider time, TlsCertificateStore? tls, FrontEndCounters counters, Action<WorkerEndpoint, string>? unreachable = null) =>
        config.FrontEnd == FrontEndMode.SharedSocket
            ? new SharedSocketFrontEnd(config, sockets, serilog, loggerFactory)
            : new ProxyFrontEnd(config, sockets, serilog, tls, time, counters) { Unreachable = unreachable };

    /// <summary>
    /// The machine's config as seen by an app's own front end: its listeners and front end, and it as the only app.
    /// The config reader refuses https:// on an app's own listener, so no certificates are needed there; the
    /// load-balancer health answer and its separate listener belong to the top-level front end alone.
    /// </summary>
    private static SupervisorConfig ForOwnListeners(SupervisorConfig config, AppConfig app) => config with
    {
        Listeners = app.Listeners,
        FrontEnd = app.FrontEnd,
        Apps = [app],
        LoadBalancerHealth = new(),
        Tls = null,
        RedirectHttpToHttps = false,
        Hsts = null,
    };
}
