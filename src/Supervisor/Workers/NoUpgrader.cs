using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Workers;

/// <summary>Where no new supervisor can be started (the loop's own tests): every upgrade fails to start.</summary>
internal sealed class NoUpgrader : IUpgrader
{
    public static readonly NoUpgrader Instance = new();

    private NoUpgrader()
    {
    }

    public ISuccessor Start(Action<ControlEvent> post) => throw new ChildProcessStartException("this supervisor cannot start another", new InvalidOperationException());
}
