using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Supervisor.Hosting.Listening;

/// <summary>
/// Kestrel's socket transport, with each listener on a socket of <see cref="ListenSockets"/> behind that socket's
/// <see cref="AcceptGate"/>. Kestrel listens on those sockets by descriptor (ListenHandle): it neither binds nor closes
/// them (the supervisor does both), and re-listens with <see cref="SocketBinder.Backlog"/>, not its default of 512.
/// </summary>
internal sealed class GatedTransport(IConnectionListenerFactory inner, ListenSockets sockets) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>Replaces the transport UseKestrelCore registered; call after it.</summary>
    public static void Use(IServiceCollection services, ListenSockets sockets)
    {
        services.Configure<SocketTransportOptions>(options => options.Backlog = SocketBinder.Backlog);
        services.RemoveAll<IConnectionListenerFactory>();
        services.AddSingleton<IConnectionListenerFactory>(provider => new GatedTransport(
            new SocketTransportFactory(provider.GetRequiredService<IOptions<SocketTransportOptions>>(), provider.GetRequiredService<ILoggerFactory>()),
            sockets));
    }

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = await inner.BindAsync(endpoint, cancellationToken);
        return endpoint is FileHandleEndPoint handle && sockets.GateOf(handle.FileHandle) is { } gate
            ? new GatedConnectionListener(listener, gate)
            : listener;
    }

    public bool CanBind(EndPoint endpoint) => inner is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);
}
