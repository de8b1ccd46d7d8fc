using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// The front end as the host sees it: what owns the public address, the proxy (<see cref="ProxyFrontEnd"/>) or the shared
/// socket the workers accept from; the host starts and disposes it, the control loop sees only <see cref="IFrontEnd"/>.
/// </summary>
internal interface IPublicFrontEnd : IFrontEnd, IAsyncDisposable
{
    /// <summary>
    /// Starts accepting on the public sockets (and loadBalancerHealth.listen's): at start, or, with sockets inherited
    /// from systemd or a previous supervisor, once the workers are ready. Throws (IOException, SocketException,
    /// InvalidOperationException) when it cannot.
    /// </summary>
    Task StartAsync();

    /// <summary>Once the workers have exited after <see cref="IFrontEnd.DrainAsync"/>: ends what the front end still holds.</summary>
    Task CloseAsync();
}
