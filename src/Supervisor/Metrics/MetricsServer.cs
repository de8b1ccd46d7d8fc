using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Metrics;

/// <summary>
/// metrics.listen: GET /metrics on a loopback port for a Prometheus server on this machine. Its own small Kestrel,
/// apart from the public front end, so scrapes never compete with the front end's connection limits or middleware.
/// </summary>
internal sealed class MetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenAddress _listen;
    private readonly ILogger _logger;

    public MetricsServer(ListenAddress listen, MetricsEndpoint endpoint, Serilog.ILogger serilog)
    {
        _listen = listen;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "supervisor-metrics", EnvironmentName = Environments.Production });
        Serilog.SerilogLoggingBuilderExtensions.AddSerilog(builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace), serilog);
        builder.Services.AddSingleton<IHostLifetime, ControlLoopLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (listen.Host == ListenHost.Localhost)
            {
                kestrel.ListenLocalhost(listen.Port);
            }
            else
            {
                // The config reader admits loopback addresses only.
                kestrel.Listen(listen.Address!, listen.Port);
            }
        });

        _app = builder.Build();
        _logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cluster.Supervisor.Metrics");
        _app.Run(context =>
        {
            if (context.Request.Path.Equals(MetricsConfig.Path, StringComparison.Ordinal) && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                return endpoint.InvokeAsync(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    /// <summary>Binds the address; throws (IOException and friends) when it cannot.</summary>
    public async Task StartAsync()
    {
        await _app.StartAsync();
        MetricsLog.Listening(_logger, _listen.Url);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
