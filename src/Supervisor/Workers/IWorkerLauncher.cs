namespace Cluster.Supervisor.Workers;

internal interface IWorkerLauncher
{
    /// <summary>Starts one worker process as <paramref name="launch"/> describes it.</summary>
    /// <exception cref="Processes.ChildProcessStartException">The program could not be executed.</exception>
    IWorkerProcess Launch(WorkerLaunch launch);
}
