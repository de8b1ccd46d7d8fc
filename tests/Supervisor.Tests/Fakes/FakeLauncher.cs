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

    /// <summary>The worker config of each launch, in order.</summary>
    public List<Cluster.Shared.Configuration.WorkerConfig> Configs { get; } = [];

    /// <summary>The NOTIFY_SOCKET given to each launch, in order (null when none).</summary>
    public List<string?> NotifySockets { get; } = [];

    public IWorkerProcess Launch(Cluster.Shared.Configuration.WorkerConfig config, int workerId, int port, string? notifySocket)
    {
        if (FailToStart)
        {
            throw new ChildProcessStartException("cannot run /nope: No such file or directory", new IOException("ENOENT"));
        }

        lock (_launched)
        {
            Configs.Add(config);
            NotifySockets.Add(notifySocket);
            var process = new FakeWorkerProcess(workerId, port, _nextPid++) { StopSignal = (int)config.StopSignal, User = config.RunAs?.Name ?? "root" };
            _launched.Add(process);
            return process;
        }
    }
}
