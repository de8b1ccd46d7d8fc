using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>Starts fake new supervisors for the loop's upgrades; the tests make them report.</summary>
internal sealed class FakeUpgrader : IUpgrader
{
    private readonly List<FakeSuccessor> _started = [];
    private int _nextPid = 90000;

    /// <summary>Set to make the next start throw, as when the program cannot be run.</summary>
    public string? FailToStart { get; set; }

    public IReadOnlyList<FakeSuccessor> Started
    {
        get
        {
            lock (_started)
            {
                return _started.ToList();
            }
        }
    }

    public ISuccessor Start(Action<ControlEvent> post)
    {
        if (FailToStart is { } reason)
        {
            throw new ChildProcessStartException(reason, new InvalidOperationException(reason));
        }

        var successor = new FakeSuccessor(Interlocked.Increment(ref _nextPid), post);
        lock (_started)
        {
            _started.Add(successor);
        }

        return successor;
    }
}
