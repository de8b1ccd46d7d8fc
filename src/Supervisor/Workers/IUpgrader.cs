using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Workers;

/// <summary>Starts the supervisor that is to replace this one (`supervisor upgrade`, SIGUSR2).</summary>
internal interface IUpgrader
{
    /// <summary>
    /// Starts a new supervisor process from the command this one was started with, handing it every listening socket.
    /// What it reports (ready, took over, failed) is posted as events.
    /// </summary>
    /// <exception cref="Processes.ChildProcessStartException">The process could not be started.</exception>
    /// <exception cref="IOException">The sockets or the channel to it could not be prepared.</exception>
    ISuccessor Start(Action<ControlEvent> post);
}
