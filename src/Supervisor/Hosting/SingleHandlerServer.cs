using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Hosting;

/// <summary>
/// A small Kestrel of its own on one address, answering every request with one delegate: metrics.listen, and
/// loadBalancerHealth.listen when there is no proxy front end to host it. Apart from the public front end, so its
/// requests never compete with the front end's connection limits or middleware.
/// </summary>
internal sealed class SingleHandlerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public SingleHandlerServer(string name, ListenAddress listen, RequestDelegate answer, Serilog.ILogger serilog)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = name, EnvironmentName = Environments.Production });
        Serilog.SerilogLoggingBuilderExtensions.AddSerilog(builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace), serilog);
        builder.Services.AddSingleton<IHostLifetime, ControlLoopLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            Listen(kestrel, listen);
        });

        _app = builder.Build();
        _app.Run(answer);
    }

    public ILoggerFactory LoggerFactory => _app.Services.GetRequiredService<ILoggerFactory>();

    /// <summary>Binds the address; throws (IOException and friends) when it cannot.</summary>
    public Task StartAsync() => _app.StartAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Adds a listen address to Kestrel: "localhost" is both loopbacks, "*" every interface.</summary>
    /// <param name="configure">The endpoint's protocols and TLS; Kestrel's defaults when null.</param>
    public static void Listen(KestrelServerOptions kestrel, ListenAddress listen, Action<ListenOptions>? configure = null)
    {
        configure ??= _ => { };
        switch (listen.Host)
        {
            case ListenHost.Localhost:
                kestrel.ListenLocalhost(listen.Port, configure);
                break;
            case ListenHost.AnyInterface:
                kestrel.ListenAnyIP(listen.Port, configure);
                break;
            default:
                kestrel.Listen(listen.Address!, listen.Port, configure);
                break;
        }
    }
}
