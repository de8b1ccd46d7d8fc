using Microsoft.Extensions.Hosting;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// Replaces ASP.NET Core's console lifetime, which would stop the web host on SIGTERM/SIGINT by itself. Here the
/// control loop receives the signals and decides when the front end stops (after draining, before the workers).
/// </summary>
internal sealed class ControlLoopLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
