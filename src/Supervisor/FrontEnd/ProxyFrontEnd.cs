using System.Collections.Concurrent;
using System.Diagnostics;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd.Routing;
using Cluster.Supervisor.FrontEnd.Tls;
using Cluster.Supervisor.Hosting;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// The public listeners: Kestrel at the configured addresses (TLS terminated here for the https:// ones, with the
/// certificates of <see cref="TlsCertificateStore"/>), a short middleware chain (access log, HSTS, load-balancer health,
/// the redirect to HTTPS: each only when configured), endpoint routing to the app a request's host and path select
/// (<see cref="AppRouteTable"/>; a JSON 404 when none does), the rate limit of that app's budget when it has one
/// (<see cref="ClientRateLimiter"/>), and YARP's forwarder to one of that app's ready workers. No per-request config
/// lookup: the hot path is the routing DFA, one array read, one forward.
/// </summary>
internal sealed class ProxyFrontEnd : IPublicFrontEnd
{
    private readonly WebApplication _app;
    private readonly AppRouteTable _routes = new();
    private readonly ConcurrentDictionary<string, AppTarget> _targets = new(StringComparer.Ordinal);
    private readonly ProxyHandler _handler;
    private readonly RequestGate _gate = new();
    private readonly HttpMessageInvoker _client = ForwarderClient.Create();
    private readonly LoadBalancerHealthEndpoint _health;
    private readonly IReadOnlyList<ListenerConfig> _listeners;
    private readonly TlsCertificateStore? _tls;
    private readonly ILogger _logger;
    private readonly ListenSockets _sockets;
    private readonly IReadOnlyList<System.Net.Sockets.Socket> _own;
    private readonly TimeSpan _shutdownTimeout;
    private readonly TimeProvider _time;

    // Fired to abort the connections Kestrel still holds while it stops: when the drain times out, or when the
    // connections still relayed after the workers have exited outlast one more shutdownTimeout.
    private readonly CancellationTokenSource _abortConnections = new();
    private Task? _serverStopped;
    private readonly ClientRateLimiter _limiter;
    private volatile ProxyConfig _proxy;

    // The budget of the requests no app matches: the machine's rateLimit.
    private volatile RateLimitBudget? _unmatchedBudget;
    private RoutingSnapshot _routing = RoutingSnapshot.Empty;

    // Whether StartAsync ran: a front end that never accepted has no just-accepted connection to linger for.
    private volatile bool _started;

    /// <param name="sockets">The supervisor's listening sockets: those of the listeners and of loadBalancerHealth.listen are served here.</param>
    /// <param name="tls">The certificates, loaded; required when a listener is https://.</param>
    /// <param name="time">The clock of X-Request-Start (proxy.requestStartHeader); the system's by default.</param>
    /// <param name="counters">Where its requests are counted (shared by every front end of the supervisor); its own when null.</param>
    public ProxyFrontEnd(SupervisorConfig config, ListenSockets sockets, Serilog.ILogger serilog, TlsCertificateStore? tls = null, TimeProvider? time = null, FrontEndCounters? counters = null)
    {
        Counters = counters ?? new FrontEndCounters();
        _time = time ?? TimeProvider.System;
        _listeners = config.Listeners;
        _sockets = sockets;
        _own = [.. config.Listeners.SelectMany(l => sockets.For(l.Endpoint)), .. config.LoadBalancerHealth.Listen is { } healthListen ? sockets.For(healthListen) : []];
        _shutdownTimeout = config.ShutdownTimeout;
        _tls = tls;
        _proxy = config.Proxy;
        _unmatchedBudget = RateLimitBudget.Machine(config.RateLimit);
        _health = new LoadBalancerHealthEndpoint(config.LoadBalancerHealth, () => _targets.Values.Sum(t => t.Pool.Available));

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "supervisor",
            EnvironmentName = Environments.Production,
            ContentRootPath = config.ConfigDirectory,
        });
        Serilog.SerilogLoggingBuilderExtensions.AddSerilog(builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace), serilog);
        builder.Services.AddSingleton<IHostLifetime, ControlLoopLifetime>();
        // No deadline of the host's own: DrainAsync and CloseAsync decide when Kestrel aborts what is left.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddHttpForwarder();
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<MatcherPolicy, WildcardHostCheck>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, config, sockets, tls));
        GatedTransport.Use(builder.Services, sockets);
        _app = builder.Build();
        _logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cluster.Supervisor.FrontEnd");
        _limiter = new ClientRateLimiter(Counters, _logger);

        // Outermost first: the access log sees every answer, the rate limiter's 429s and health probes included;
        // health probes are never rate limited (the limit is checked after routing).
        if (config.AccessLog.Enabled)
        {
            _app.Use(new AccessLogMiddleware(_logger).InvokeAsync);
        }

        if (config.Hsts is { } hsts)
        {
            _app.Use(new StrictTransportSecurity(hsts).InvokeAsync);
        }

        if (config.LoadBalancerHealth.Enabled)
        {
            _app.Use(_health.InvokeAsync);
        }

        // After the health endpoint, so that balancers probing over HTTP get their answer, not a redirect.
        if (config.RedirectHttpToHttps && config.FirstHttpsListener is { } https)
        {
            _app.Use(new HttpsRedirect(https.Port, Counters).InvokeAsync);
        }

        _handler = new ProxyHandler(
            _gate,
            _app.Services.GetRequiredService<IHttpForwarder>(),
            _client,
            _logger,
            (destination, reason) => Unreachable?.Invoke(destination.Endpoint, reason),
            Counters,
            recordWorker: config.AccessLog.Enabled);

        // After the health endpoint: a balancer's probe is answered whatever the routes.
        ((IEndpointRouteBuilder)_app).DataSources.Add(_routes);
        _app.UseRouting();
        _app.Run(context => context.GetEndpoint()?.RequestDelegate is { } app ? app(context) : NoAppAsync(context));
    }

    /// <summary>No app's hosts and paths match: the front end's own 404, not a worker's page (within the machine's rate limit).</summary>
    private async Task NoAppAsync(HttpContext context)
    {
        if (_unmatchedBudget is { } budget && !await _limiter.AdmitAsync(context, budget, app: null))
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        await ProblemResponses.WriteAsync(context, StatusCodes.Status404NotFound, "no_app", "No app serves this host and path.");
        Counters.Answered(context.Response.StatusCode, Stopwatch.GetTimestamp() - started);
    }

    /// <summary>The delegate of an app's endpoints: to its target, with its path prefix stripped when it says so.</summary>
    private RequestDelegate Forward(AppRoute app, string? strip)
    {
        var target = _targets[app.App];
        return strip is null
            ? context => ServeAsync(context, target)
            : context =>
            {
                var request = context.Request;
                if (request.Path.StartsWithSegments(strip, StringComparison.OrdinalIgnoreCase, out var matched, out var remaining))
                {
                    request.PathBase = request.PathBase.Add(matched);
                    request.Path = remaining.HasValue ? remaining : "/";
                }

                return ServeAsync(context, target);
            };
    }

    /// <summary>A request routed to <paramref name="target"/>: forwarded, once within the app's rate limit if it has one.</summary>
    private Task ServeAsync(HttpContext context, AppTarget target) =>
        target.RateLimit is { } budget ? LimitedAsync(context, target, budget) : _handler.InvokeAsync(context, target);

    private async Task LimitedAsync(HttpContext context, AppTarget target, RateLimitBudget budget)
    {
        if (await _limiter.AdmitAsync(context, budget, target.Slots))
        {
            await _handler.InvokeAsync(context, target);
        }
    }

    /// <summary>Nothing reaches a worker out of rotation: every request passes through here, counted per worker.</summary>
    public bool ReachableOutOfRotation => false;

    /// <summary>The workers listen on ports of their own.</summary>
    public SharedSocket.SharedListener? WorkerSocket => null;

    /// <summary>Requests, latency, retries and proxy errors, counted on the request path for the metrics.</summary>
    public FrontEndCounters Counters { get; }

    /// <summary>Told when a worker refused a connection (set once, before the front end starts).</summary>
    public Action<WorkerEndpoint, string>? Unreachable { get; set; }

    /// <summary>
    /// How long the front end keeps serving the connections it has just accepted before it stops, when another process
    /// goes on accepting on the same sockets (the next supervisor). Kestrel's stop closes every connection with no
    /// request in progress, and a client's request may not have arrived on one accepted a moment ago: it would get no
    /// answer on a connection it has never used, which no client retries. A second is plenty for a request sent with
    /// the connection; keep-alive connections that are idle after it are closed, and their clients retry on a new one.
    /// </summary>
    public static readonly TimeSpan AcceptedConnectionGrace = TimeSpan.FromSeconds(1);

    /// <summary>Starts accepting on the public sockets (bound, or inherited, before); throws (IOException and friends) when it cannot.</summary>
    public async Task StartAsync()
    {
        await _app.StartAsync();
        _started = true;
        _tls?.StartTimers();
        FrontEndLog.Listening(_logger, string.Join(", ", _listeners));
    }

    /// <summary>
    /// Each app's ready workers into its pool first, then, only when a route changed, the route table: a new app has its
    /// workers before it has a route, and a removed one has no route before it loses its workers.
    /// </summary>
    public void Publish(RoutingSnapshot routing)
    {
        foreach (var app in routing.Apps)
        {
            var target = _targets.GetOrAdd(app.App, name => new AppTarget(name, app.Balancing, app.Queue, Counters.ForApp(name), Counters.ForQueue(name), _time));
            if (!target.IsConfigured || target.Protocol != app.Protocol)
            {
                target.Configure(_proxy, app.Protocol, _time);
            }

            target.Pool.Policy = app.Balancing;
            target.RateLimit = app.RateLimit;
            target.Pool.Publish(app.Ready);
            if (target.Queue.Settings != app.Queue)
            {
                // A reloaded worker.maxConcurrency or queue.*: live for the next request and for those waiting.
                target.Queue.Settings = app.Queue;
            }

            // New workers take the requests waiting, in order.
            target.Queue.Drain();
        }

        if (!routing.SameRoutesAs(_routing))
        {
            _routes.Replace(routing.Apps, Forward);
        }

        foreach (var gone in _targets.Values.Where(t => routing.Apps.All(a => a.App != t.Name)))
        {
            gone.Pool.Publish([]);
        }

        _routing = routing;
    }

    /// <summary>
    /// The live part of a reloaded config: balancing policy, retry, request timeout, forwarded headers, X-Request-Start,
    /// the rate limit; and the certificates are read again (off the control loop's thread: loading them takes file reads
    /// and a chain build).
    /// </summary>
    public void Configure(SupervisorConfig config)
    {
        // Each app's balancing policy and rate-limit budget come with its route (its own, or the machine's).
        _proxy = config.Proxy;
        _unmatchedBudget = RateLimitBudget.Machine(config.RateLimit);
        foreach (var target in _targets.Values)
        {
            target.Configure(config.Proxy, target.Protocol, _time);
        }
        if (_tls is not null && config.Tls is { } tls)
        {
            _ = Task.Run(() => _tls.Guarded("the config reload", () => _tls.Reload(tls, "config reload")));
        }
    }

    public long Served(WorkerEndpoint worker) => _targets.TryGetValue(worker.App, out var app) ? app.Pool.Served(worker) : 0;

    public long InFlight(WorkerEndpoint worker) => _targets.TryGetValue(worker.App, out var app) ? app.Pool.InFlight(worker) : 0;

    public int RequestsWaiting(string app) => _targets.TryGetValue(app, out var target) ? target.Queue.Length : 0;

    public AppActivity Activity(string app, IReadOnlyList<WorkerEndpoint> workers) =>
        new([.. workers.Select(w => new WorkerActivity(InFlight(w), Served(w)))], RequestsWaiting(app));

    public Task WhenIdleAsync(WorkerEndpoint worker) => _targets.TryGetValue(worker.App, out var app) ? app.Pool.WhenIdleAsync(worker) : Task.CompletedTask;

    /// <summary>The proxy never stops a worker to park it: nothing reaches a worker out of rotation.</summary>
    public Task<long?> ConnectionsHeldWhenStoppedAsync(WorkerEndpoint worker) => Task.FromResult<long?>(0);

    public void Forget(WorkerEndpoint worker)
    {
        if (_targets.TryGetValue(worker.App, out var app))
        {
            app.Pool.Forget(worker);
        }
    }

    /// <summary>
    /// The health endpoint announces the stop (loadBalancerHealth.drainDelay), then accepting stops and Kestrel closes
    /// idle keep-alive connections; the requests on their way to a worker are waited for (the <see cref="RequestGate"/>),
    /// at most <paramref name="drainTimeout"/>. Upgraded connections (WebSockets) are not waited for: they stay relayed,
    /// so that once the workers are told to stop, each app's close frame reaches its client; <see cref="CloseAsync"/>
    /// ends them after the workers have exited. Kestrel's own stop would wait for those too (until the timeout, then
    /// cut them: the client saw 1006, not the app's goodbye).
    /// </summary>
    public async Task DrainAsync(TimeSpan drainTimeout)
    {
        await _health.AnnounceStopAsync(_logger);
        await StopAcceptingAsync(lingerForAccepted: _started && _sockets.Inherited);
        _sockets.RefuseNewConnections(_own);
        await DrainRequestsAsync(drainTimeout);
    }

    /// <summary>
    /// The other supervisor accepts on the same sockets and answers the health endpoint: no 503 announcement, no
    /// drainDelay; accepting stops at once, then in-flight requests finish as in <see cref="DrainAsync"/>.
    /// </summary>
    public async Task HandOverAsync(TimeSpan drainTimeout)
    {
        await StopAcceptingAsync(lingerForAccepted: _started);
        await DrainRequestsAsync(drainTimeout);
    }

    /// <summary>
    /// The accept loops end first, with no accept left pending (see <see cref="GatedConnectionListener"/>); a socket
    /// shared with another process (systemd's, or handed to a successor) thus stays open and listening there.
    /// </summary>
    private async Task StopAcceptingAsync(bool lingerForAccepted)
    {
        _sockets.StopAccepting(_own);
        if (lingerForAccepted)
        {
            await Task.Delay(AcceptedConnectionGrace);
        }
    }

    private async Task DrainRequestsAsync(TimeSpan drainTimeout)
    {
        var clock = Stopwatch.StartNew();
        _serverStopped = _app.StopAsync(_abortConnections.Token);
        try
        {
            await _gate.CloseWhenIdleAsync().WaitAsync(drainTimeout);
            FrontEndLog.Drained(_logger, HumanDuration.Format(clock.Elapsed), _gate.Upgraded);
        }
        catch (TimeoutException)
        {
            // What is still in flight is cut, as a stop must end; the upgraded connections go with it.
            _gate.Close();
            await _abortConnections.CancelAsync();
            await WhenServerStoppedAsync();
            FrontEndLog.DrainTimedOut(_logger, HumanDuration.Format(drainTimeout));
        }
    }

    /// <summary>
    /// After the workers have exited: the connections still relayed end with them (their worker side is closed);
    /// waits for that, at most shutdownTimeout, then aborts what is left and stops the server.
    /// </summary>
    public async Task CloseAsync()
    {
        if (_serverStopped is null)
        {
            return;
        }

        _abortConnections.CancelAfter(_shutdownTimeout);
        await WhenServerStoppedAsync();
        FrontEndLog.Closed(_logger);
    }

    private async Task WhenServerStoppedAsync()
    {
        try
        {
            await _serverStopped!;
        }
        catch (OperationCanceledException)
        {
            // Aborted what was left, as asked.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // No accept pending when Kestrel disposes its listeners (see GatedConnectionListener), whatever stopped first.
        _sockets.StopAccepting(_own);

        // Nothing is waited for any more (after a failure, CloseAsync may not have run). The token source is left to
        // the finalizer: a drain cut short by a second Ctrl+C may still fire it.
        await _abortConnections.CancelAsync();
        await _app.DisposeAsync();
        _client.Dispose();
        _routes.Dispose();
        _limiter.Dispose();
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, SupervisorConfig config, ListenSockets sockets, TlsCertificateStore? tls)
    {
        kestrel.AddServerHeader = false;
        kestrel.RequestHeaderEncodingSelector = _ => HeaderBytes.Encoding;
        kestrel.ResponseHeaderEncodingSelector = _ => HeaderBytes.Encoding;
        var limits = config.Limits;
        kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
        kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
        kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
        kestrel.Limits.Http2.MaxStreamsPerConnection = limits.Http2MaxStreamsPerConnection;
        kestrel.Limits.Http2.HeaderTableSize = limits.Http2HeaderTableSize;
        kestrel.Limits.Http2.InitialConnectionWindowSize = limits.Http2InitialConnectionWindowSize;
        kestrel.Limits.Http2.InitialStreamWindowSize = limits.Http2InitialStreamWindowSize;
        kestrel.Limits.Http2.MaxFrameSize = limits.Http2MaxFrameSize;
        foreach (var listener in config.Listeners)
        {
            SingleHandlerServer.Listen(kestrel, sockets.For(listener.Endpoint), options =>
            {
                if (listener.IsHttps)
                {
                    // TLS 1.2 and 1.3, ALPN h2 and http/1.1, the certificate chosen per connection by SNI. A client
                    // that offers other protocols only is served HTTP/1.x without ALPN (AlpnInspection).
                    options.Protocols = HttpProtocols.Http1AndHttp2;
                    options.Use(AlpnInspection.Middleware);
                    options.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = (tls ?? throw new InvalidOperationException("an https listener needs the certificates")).SelectAsync });
                }
                else
                {
                    // Cleartext cannot offer both (there is no ALPN): HTTP/2 by prior knowledge, or HTTP/1.1.
                    options.Protocols = listener.Http2 ? HttpProtocols.Http2 : HttpProtocols.Http1;
                }
            });
        }

        if (config.LoadBalancerHealth.Listen is { } health)
        {
            SingleHandlerServer.Listen(kestrel, sockets.For(health), options => options.Protocols = HttpProtocols.Http1);
        }
    }
}
