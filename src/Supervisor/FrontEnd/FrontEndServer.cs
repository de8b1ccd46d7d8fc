using System.Diagnostics;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>The public listener: Kestrel at the configured address, and YARP forwarding to the ready workers.</summary>
internal sealed class FrontEndServer : IFrontEnd, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WorkerProxyConfigProvider _proxyConfig = new();
    private readonly WorkerTrafficTable _traffic = new();
    private readonly ListenAddress _listen;
    private readonly ILogger _logger;

    public FrontEndServer(SupervisorConfig config, Serilog.ILogger serilog)
    {
        _listen = config.Listen;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "supervisor",
            EnvironmentName = Environments.Production,
            ContentRootPath = config.ConfigDirectory,
        });

        Serilog.SerilogLoggingBuilderExtensions.AddSerilog(builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace), serilog);
        builder.Services.AddSingleton<IHostLifetime, ControlLoopLifetime>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = config.ShutdownTimeout);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            Listen(kestrel, config.Listen);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddReverseProxy();
        // YARP registers Data Protection for affinity cookies, which we never use; keep its keys in memory rather than
        // letting it write key files under the home directory and warn about them at every start.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<IProxyConfigProvider>(_proxyConfig);

        _app = builder.Build();
        _logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cluster.Supervisor.FrontEnd");
        var forwardingErrors = new ForwardingErrorResponder(_logger);
        var noReadyWorker = new NoReadyWorkerResponder(_logger);
        _app.MapReverseProxy(proxy =>
        {
            proxy.Use(forwardingErrors.InvokeAsync);
            proxy.Use(noReadyWorker.InvokeAsync);
            proxy.UseLoadBalancing();
            proxy.Use(_traffic.CountAsync);
        });
    }

    /// <summary>Binds the public address; throws (IOException and friends) when it cannot.</summary>
    public async Task StartAsync()
    {
        await _app.StartAsync();
        FrontEndLog.Listening(_logger, _listen.Url);
    }

    public void Publish(IReadOnlyList<WorkerEndpoint> readyWorkers) => _proxyConfig.Update(readyWorkers);

    public long Served(WorkerEndpoint worker) => _traffic.Served(worker);

    public long InFlight(WorkerEndpoint worker) => _traffic.InFlight(worker);

    public Task WhenIdleAsync(WorkerEndpoint worker) => _traffic.WhenIdleAsync(worker);

    public void Forget(WorkerEndpoint worker) => _traffic.Forget(worker);

    public async Task StopAsync(TimeSpan drainTimeout)
    {
        var clock = Stopwatch.StartNew();
        using var drain = new CancellationTokenSource(drainTimeout);
        try
        {
            // Kestrel stops accepting at once, closes idle keep-alive connections, and waits for in-flight requests
            // until the token fires; then it aborts what is left.
            await _app.StopAsync(drain.Token);
        }
        catch (OperationCanceledException)
        {
            // The drain timed out; the remaining connections have been aborted.
        }

        if (drain.IsCancellationRequested)
        {
            FrontEndLog.DrainTimedOut(_logger, HumanDuration.Format(drainTimeout));
        }
        else
        {
            FrontEndLog.Stopped(_logger, HumanDuration.Format(clock.Elapsed));
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static void Listen(KestrelServerOptions kestrel, ListenAddress listen)
    {
        switch (listen.Host)
        {
            case ListenHost.Localhost:
                kestrel.ListenLocalhost(listen.Port);
                break;
            case ListenHost.AnyInterface:
                kestrel.ListenAnyIP(listen.Port);
                break;
            default:
                kestrel.Listen(listen.Address!, listen.Port);
                break;
        }
    }
}
