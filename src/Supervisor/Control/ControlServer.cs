using Cluster.Shared.Configuration;
using Cluster.Supervisor.FileSafety;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Control;

/// <summary>
/// The control channel: HTTP with JSON bodies on a Unix domain socket (mode 0600, never a TCP port), for the CLI's
/// status, logs, top, reload, scale and stop, and GET /metrics (Prometheus text). Its own small Kestrel, so it keeps
/// answering while the front end drains. Connections from other users are refused by their kernel-reported UID.
/// </summary>
internal sealed class ControlServer : IAsyncDisposable
{
    /// <summary>How long the last lines may take to reach `logs -f` followers when the supervisor stops.</summary>
    private static readonly TimeSpan FollowersGrace = LogEndpoint.EndGrace + TimeSpan.FromSeconds(1);

    private const int Backlog = 512;

    private readonly WebApplication _app;
    private readonly string _finalPath;
    private readonly SupervisorLogging _logging;
    private readonly ILogger _logger;
    private string _path;
    private ulong? _inode;
    private readonly System.Net.Sockets.Socket _listening;

    /// <param name="bindPath">
    /// Where to bind: control.socket, or, for a supervisor taking over from another (an upgrade), a name of its own
    /// beside it, which <see cref="TakeOverPath"/> moves to control.socket once the old one has handed over.
    /// </param>
    /// <exception cref="System.Net.Sockets.SocketException">The path cannot be bound.</exception>
    public ControlServer(SupervisorConfig config, ControlLoop loop, StatusCollector status, MetricsEndpoint metrics, SupervisorLogging logging, string? bindPath = null)
    {
        _finalPath = config.Control.Socket;
        _path = bindPath ?? _finalPath;
        _logging = logging;

        // Bound here (the caller has checked its folder, and that nothing but a stale socket was at the path) with mode
        // 0600 from the start: it is bound while the umask is 0177, and nothing else is being created then.
        using (OwnerOnlyCreation.Begin())
        {
            _listening = UnixSocketBinding.Listen(_path, Backlog);
        }

        _inode = FileStatus.OfPath(_path)?.Inode;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "supervisor-control", EnvironmentName = Environments.Production });
        Serilog.SerilogLoggingBuilderExtensions.AddSerilog(builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace), logging.Logger);
        builder.Services.AddSingleton<IHostLifetime, ControlLoopLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // By descriptor: see UnixSocketBinding.
            kestrel.ListenHandle((ulong)_listening.SafeHandle.DangerousGetHandle(), listen => listen.Use(next => async connection =>
            {
                var uid = connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket ? PeerCredentials.PeerUid(socket) : null;
                if (!PeerCredentials.IsAllowed(uid))
                {
                    ControlLog.Refused(_logger!, uid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown", PeerCredentials.OwnUid);
                    connection.Abort();
                    return;
                }

                await next(connection);
            }));
        });

        _app = builder.Build();
        _logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cluster.Supervisor.Control");
        var endpoints = new ControlEndpoints(loop, status, metrics, new LogEndpoint(logging.Ring, _logger), config, _logger);
        _app.Run(endpoints.InvokeAsync);
    }

    /// <summary>Starts answering on the socket.</summary>
    public async Task StartAsync()
    {
        await _app.StartAsync();
        ControlLog.Listening(_logger, _path);
    }

    /// <summary>
    /// Puts this supervisor's socket at control.socket in one step (rename(2) replaces the old supervisor's entry, whose
    /// socket keeps serving the connections it has): every command from now on reaches this supervisor.
    /// </summary>
    public void TakeOverPath()
    {
        if (_path == _finalPath)
        {
            return;
        }

        File.Move(_path, _finalPath, overwrite: true);
        _path = _finalPath;
        ControlLog.Listening(_logger, _path);
    }

    public async ValueTask DisposeAsync()
    {
        // Followers get every line logged so far (the supervisor's last ones included: the ring's queue is written
        // out first), then the end of their stream; stopping the server waits for that, for a bounded time.
        _logging.EndFollowers();
        using (var grace = new CancellationTokenSource(FollowersGrace))
        {
            try
            {
                await _app.StopAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // A follower that would not take its last lines; its connection is closed below.
            }
        }

        await _app.DisposeAsync();
        _listening.Dispose();

        // Only the socket this server made: after an upgrade the path is the new supervisor's.
        if (_inode is not null && FileStatus.OfPath(_path)?.Inode == _inode)
        {
            File.Delete(_path);
        }
    }
}
