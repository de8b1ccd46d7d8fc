using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>The supervisor a loop under test takes over from.</summary>
internal sealed class FakePredecessor : IPredecessor
{
    public int Pid => 4242;

    public string Version => "1.0.0";

    public int Upgrades => 0;

    public string? FailedWith { get; private set; }

    public bool Completed { get; private set; }

    public void Fail(string reason) => FailedWith = reason;

    public void Complete() => Completed = true;
}
