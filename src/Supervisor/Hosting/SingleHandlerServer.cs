using System.Net.Sockets;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.Hosting.Listening;
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
    private readonly IReadOnlyList<Socket> _sockets;
    private readonly ListenSockets _registry;

    /// <param name="sockets">The address's sockets, from <paramref name="registry"/>.</param>
    public SingleHandlerServer(string name, IReadOnlyList<Socket> sockets, ListenSockets registry, RequestDelegate answer, Serilog.ILogger serilog)
    {
        _sockets = sockets;
        _registry = registry;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = name, EnvironmentName = Environments.Production });
        Serilog.SerilogLoggingBuilderExtensions.AddSerilog(builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace), serilog);
        builder.Services.AddSingleton<IHostLifetime, ControlLoopLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            Listen(kestrel, sockets);
        });
        GatedTransport.Use(builder.Services, registry);

        _app = builder.Build();
        _app.Run(answer);
    }

    public ILoggerFactory LoggerFactory => _app.Services.GetRequiredService<ILoggerFactory>();

    /// <summary>Starts accepting on its sockets.</summary>
    public Task StartAsync() => _app.StartAsync();

    /// <summary>Accepts no more connections (the socket stays open for whoever else holds it); answers those it has.</summary>
    public Task StopAcceptingAsync()
    {
        _registry.StopAccepting(_sockets);
        return Task.CompletedTask;
    }

    /// <summary>Accepts no more, then stops: no accept is pending when Kestrel disposes its listeners (see GatedConnectionListener).</summary>
    public async ValueTask DisposeAsync()
    {
        _registry.StopAccepting(_sockets);
        await _app.DisposeAsync();
    }

    /// <summary>Has Kestrel accept on sockets the supervisor holds (by descriptor: Kestrel neither binds nor closes them).</summary>
    /// <param name="configure">The endpoint's protocols and TLS; Kestrel's defaults when null.</param>
    public static void Listen(KestrelServerOptions kestrel, IEnumerable<Socket> sockets, Action<ListenOptions>? configure = null)
    {
        foreach (var socket in sockets)
        {
            kestrel.ListenHandle((ulong)socket.SafeHandle.DangerousGetHandle(), configure ?? (_ => { }));
        }
    }
}
