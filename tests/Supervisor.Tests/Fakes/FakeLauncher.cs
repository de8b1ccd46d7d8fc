using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

internal sealed class FakeLauncher : IWorkerLauncher
{
    private readonly List<FakeWorkerProcess> _launched = [];
    private int _nextPid = 1000;

    /// <summary>When set, Launch throws as if the program could not be executed.</summary>
    public bool FailToStart { get; set; }

    public IReadOnlyList<FakeWorkerProcess> Launched
    {
        get
        {
            lock (_launched)
            {
                return _launched.ToList();
            }
        }
    }

    public FakeWorkerProcess Latest(int workerId) => Launched.Last(p => p.WorkerId == workerId);

    /// <summary>The last process launched for that slot of that app.</summary>
    public FakeWorkerProcess Latest(string app, int workerId) => Launched.Last(p => p.App == app && p.WorkerId == workerId);

    /// <summary>Every launch as the loop described it, in order.</summary>
    public List<WorkerLaunch> Launches { get; } = [];

    /// <summary>The worker config of each launch, in order.</summary>
    public List<Cluster.Shared.Configuration.WorkerConfig> Configs { get; } = [];

    /// <summary>The NOTIFY_SOCKET given to each launch, in order (null when none).</summary>
    public List<string?> NotifySockets { get; } = [];

    public IWorkerProcess Launch(WorkerLaunch launch)
    {
        if (FailToStart)
        {
            throw new ChildProcessStartException("cannot run /nope: No such file or directory", new IOException("ENOENT"));
        }

        lock (_launched)
        {
            Launches.Add(launch);
            Configs.Add(launch.Config);
            NotifySockets.Add(launch.NotifySocket);
            var process = new FakeWorkerProcess(launch.WorkerId, launch.Port, _nextPid++) { App = launch.App, StopSignal = (int)launch.Config.StopSignal, User = launch.Config.RunAs?.Name ?? "root" };
            _launched.Add(process);
            return process;
        }
    }
}
