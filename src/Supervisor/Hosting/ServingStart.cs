using Cluster.Supervisor.Upgrade;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Hosting;

/// <summary>
/// With sockets handed over (systemd, an upgrade): the servers start accepting once the workers are ready, then a
/// predecessor is told. Until then, connections wait in the sockets' queues (served by the predecessor in an upgrade).
/// </summary>
internal sealed class ServingStart(Func<Task> startAccepting, PredecessorLink? predecessor, Action<ControlEvent> post, ILogger logger) : IServingStart
{
    public void WorkersReady() => _ = StartAsync();

    private async Task StartAsync()
    {
        try
        {
            await startAccepting();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            HostLog.CannotListen(logger, "the inherited sockets", e.Message);
            predecessor?.Fail($"it cannot accept on the sockets: {e.Message}");
            post(new StopRequested("cannot accept on the inherited sockets"));
            return;
        }

        predecessor?.SayReady();
    }
}
