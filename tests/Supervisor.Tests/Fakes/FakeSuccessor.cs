using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>A new supervisor that says what the test tells it to, and records what the loop does with it.</summary>
internal sealed class FakeSuccessor(int pid, Action<ControlEvent> post) : ISuccessor
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pid { get; } = pid;

    public IReadOnlyList<string> RecentOutput { get; set; } = ["out| its last line"];

    public bool Granted { get; private set; }

    public bool StopAsked { get; private set; }

    public bool Killed { get; private set; }

    public void GrantTakeOver() => Granted = true;

    public Task StopAsync(TimeSpan grace)
    {
        StopAsked = true;
        return _stopped.Task;
    }

    public void Kill() => Killed = true;

    /// <summary>Completes the stop the loop is waiting for (the process is gone).</summary>
    public void FinishStopping() => _stopped.TrySetResult();

    public void SayReady(string version = "2.0.0") => post(new SuccessorReady(this, version));

    public void SayDone() => post(new SuccessorTookOver(this));

    public void Fail(string reason) => post(new SuccessorFailed(this, reason));
}
