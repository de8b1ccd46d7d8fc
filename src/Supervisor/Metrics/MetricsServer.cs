using Cluster.Shared.Configuration;
using Cluster.Supervisor.Hosting;
using Cluster.Supervisor.Hosting.Listening;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Metrics;

/// <summary>
/// metrics.listen: GET /metrics on a loopback port for a Prometheus server on this machine, on a small server of its
/// own (the config reader admits loopback addresses only).
/// </summary>
internal sealed class MetricsServer : IAsyncDisposable
{
    private readonly SingleHandlerServer _server;
    private readonly ListenAddress _listen;
    private readonly ILogger _logger;

    public MetricsServer(ListenAddress listen, ListenSockets sockets, MetricsEndpoint endpoint, Serilog.ILogger serilog)
    {
        _listen = listen;
        _server = new SingleHandlerServer("supervisor-metrics", sockets.For(listen), sockets, context =>
        {
            if (context.Request.Path.Equals(MetricsConfig.Path, StringComparison.Ordinal) && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                return endpoint.InvokeAsync(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }, serilog);
        _logger = _server.LoggerFactory.CreateLogger("Cluster.Supervisor.Metrics");
    }

    /// <summary>Starts accepting on its socket (bound, or inherited, before).</summary>
    public async Task StartAsync()
    {
        await _server.StartAsync();
        MetricsLog.Listening(_logger, _listen.Url);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
