using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers;

internal interface IWorkerLauncher
{
    /// <summary>
    /// Starts the worker program of <paramref name="config"/> for slot <paramref name="workerId"/>, listening on
    /// <paramref name="port"/> (and on the shared socket, in that mode), told to notify <paramref name="notifySocket"/> when given.
    /// </summary>
    /// <exception cref="Processes.ChildProcessStartException">The program could not be executed.</exception>
    IWorkerProcess Launch(WorkerConfig config, int workerId, int port, string? notifySocket);
}
