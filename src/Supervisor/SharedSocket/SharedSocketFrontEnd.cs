using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.Hosting;
using Cluster.Supervisor.Hosting.Listening;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.SharedSocket;

/// <summary>
/// "frontEnd": "sharedSocket": no proxy. The supervisor binds the public address once (<see cref="SharedListener"/>)
/// and every worker accepts from that socket itself, so after accept the supervisor is not on the data path. The
/// kernel, not the supervisor, decides which worker gets a connection; readiness orders reloads, recycling and
/// scaling, and the ready workers feed the load-balancer health answer on loadBalancerHealth.listen.
/// </summary>
internal sealed class SharedSocketFrontEnd : IPublicFrontEnd
{
    private readonly ListenAddress _listen;
    private readonly WorkerPool _ready = new(LoadBalancingPolicy.RoundRobin);
    private readonly LoadBalancerHealthEndpoint _health;
    private readonly SingleHandlerServer? _healthServer;
    private readonly ILogger _logger;
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(10);
    private const int StopCheckAttempts = 100;
    private readonly SharedListener _listener;

    /// <param name="sockets">The supervisor's listening sockets, the public one and loadBalancerHealth.listen's among them.</param>
    public SharedSocketFrontEnd(SupervisorConfig config, ListenSockets sockets, Serilog.ILogger serilog, ILoggerFactory loggerFactory)
    {
        // The config reader allows exactly one (http://) listener with a shared socket: the workers get one fd.
        _listen = config.Listeners.Single().Endpoint;
        _listener = new SharedListener(sockets.For(_listen).Single(), _listen.Url);
        _logger = loggerFactory.CreateLogger("Cluster.Supervisor.FrontEnd");
        _health = new LoadBalancerHealthEndpoint(config.LoadBalancerHealth, () => _ready.Available);
        if (config.LoadBalancerHealth.Listen is { } healthListen)
        {
            _healthServer = new SingleHandlerServer("supervisor-lb-health", sockets.For(healthListen), sockets, context => _health.InvokeAsync(context, () => Task.CompletedTask), serilog);
        }
    }

    /// <summary>The socket every worker inherits, listening from before the first worker starts.</summary>
    public SharedListener Listener => _listener;

    /// <summary>The kernel hands connections to every worker accepting on the socket: one out of rotation stops accepting only by itself.</summary>
    public bool ReachableOutOfRotation => true;

    /// <summary>The socket every worker of this front end inherits; bound by <see cref="StartAsync"/>, before any worker starts.</summary>
    public SharedListener? WorkerSocket => _listener;

    /// <summary>The workers accept on the public socket as they start; this starts the health endpoint's server.</summary>
    public async Task StartAsync()
    {
        SharedSocketLog.Listening(_logger, _listen.Url, SocketBinder.Backlog);
        if (_healthServer is not null)
        {
            await _healthServer.StartAsync();
        }
    }

    public void Publish(Workers.Routing.RoutingSnapshot routing) => _ready.Publish([.. routing.Ready]);

    public void Configure(SupervisorConfig config)
    {
        // Nothing of the proxy's live settings exists here (the config reader refuses them in this mode).
    }

    public long Served(WorkerEndpoint worker) => 0;

    public long InFlight(WorkerEndpoint worker) => 0;

    /// <summary>No request passes through the supervisor to be held back: connections wait in the kernel's accept queue.</summary>
    public int RequestsWaiting(string app) => 0;

    /// <summary>
    /// The client connections each worker's processes hold on the shared socket's port (keep-alive ones too), read
    /// from /proc once for all of them (nothing counts what was served), and the connections waiting in the socket's
    /// accept queue, which no worker has accepted yet (docs/pools.md, "With a shared socket"). Both from one read of
    /// /proc/net/tcp{,6}: the kernel formats a line per socket for every read, thousands on a busy server.
    /// </summary>
    public AppActivity Activity(string app, IReadOnlyList<WorkerEndpoint> workers)
    {
        var rows = ProcNetTcp.Rows().ToList();
        var waiting = AcceptQueue.Length(_listener.Inode, rows) ?? 0;
        if (workers.Count == 0)
        {
            return new([], waiting);
        }

        var parents = ProcStat.ParentsOfAll();
        var held = new ConnectionCounter(() => Listener.Port).Count(workers.Select(w => w.Pid).Distinct().ToDictionary(pid => pid, pid => ProcStat.Family(pid, parents)), rows);
        return new([.. workers.Select(w => new WorkerActivity(held.GetValueOrDefault(w.Pid), 0))], waiting);
    }

    /// <summary>
    /// Only a worker to be parked (reload.confirmAfter) drains here: by its client connections, read from /proc, as no
    /// request passes through the supervisor. It still accepts new ones meanwhile; worker.drainTimeout bounds the wait.
    /// Ends when the process has exited, too (it then holds nothing).
    /// </summary>
    public async Task WhenIdleAsync(WorkerEndpoint worker)
    {
        while (HeldBy(worker.Pid, ProcStat.Family(worker.Pid, ProcStat.ParentsOfAll())) > 0)
        {
            await Task.Delay(DrainPollInterval);
        }
    }

    /// <summary>
    /// SIGSTOP takes effect as each thread next leaves the kernel, so a thread preempted inside accept() can still take
    /// a connection after kill() has returned. Only once every thread of the worker's processes shows 'T' in /proc can
    /// the set of connections it holds no longer grow; they are counted then.
    /// </summary>
    public async Task<long?> ConnectionsHeldWhenStoppedAsync(WorkerEndpoint worker)
    {
        var family = ProcStat.Family(worker.Pid, ProcStat.ParentsOfAll());
        for (var attempt = 0; !family.All(ProcStat.AllThreadsStopped); attempt++)
        {
            if (attempt == StopCheckAttempts)
            {
                return null;
            }

            await Task.Delay(StopCheckInterval);
        }

        return HeldBy(worker.Pid, family);
    }

    /// <summary>Client connections on the shared socket's port held by the processes of one worker.</summary>
    private long HeldBy(int pid, HashSet<int> family) =>
        new ConnectionCounter(() => Listener.Port).Count(new Dictionary<int, HashSet<int>> { [pid] = family })[pid];

    public void Forget(WorkerEndpoint worker) => _ready.Forget(worker);

    /// <summary>
    /// The health answer turns 503 first (and stays so for loadBalancerHealth.drainDelay, while workers keep
    /// accepting), then the supervisor closes its descriptor of the socket: no worker started from now on gets it,
    /// and once the running workers, told to stop next, have closed theirs, the port is closed.
    /// </summary>
    public async Task DrainAsync(TimeSpan drainTimeout)
    {
        await _health.AnnounceStopAsync(_logger);
        _listener.Dispose();
        SharedSocketLog.Closed(_logger, _listen.Url);
    }

    /// <summary>
    /// The successor's workers accept on the same socket, and its health endpoint answers: this one stops accepting
    /// without announcing a stop, and the supervisor's descriptor is closed. The workers, told to stop next, finish
    /// their own connections (no request passes through the supervisor to wait for here).
    /// </summary>
    public async Task HandOverAsync(TimeSpan drainTimeout)
    {
        if (_healthServer is not null)
        {
            await _healthServer.StopAcceptingAsync();
        }

        _listener.Dispose();
        SharedSocketLog.HandedOver(_logger, _listen.Url);
    }

    /// <summary>Nothing is left: the connections were the workers' own, and they have exited.</summary>
    public Task CloseAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        if (_healthServer is not null)
        {
            await _healthServer.DisposeAsync();
        }
    }
}
