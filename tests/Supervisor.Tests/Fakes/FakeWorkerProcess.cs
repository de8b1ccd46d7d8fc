using Cluster.Shared.Configuration;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>A worker process that exits only when the test says so; it records the signals it was sent.</summary>
internal sealed class FakeWorkerProcess(int workerId, int port, int pid) : IWorkerProcess
{
    public int StopSignal { get; init; } = PosixSignals.SIGTERM;

    public string User { get; init; } = "root";

    // Not RunContinuationsAsynchronously: the loop's exit continuation must post on the test's thread, in order.
    private readonly TaskCompletionSource<ProcessExitStatus> _exit = new();
    private readonly List<int> _signals = [];

    public int WorkerId { get; } = workerId;

    /// <summary>The app it was launched for.</summary>
    public string App { get; init; } = Cluster.Shared.Configuration.AppConfig.DefaultName;

    public int Port { get; } = port;

    public int Pid { get; } = pid;

    public Task<ProcessExitStatus> Exited => _exit.Task;

    public IReadOnlyList<int> Signals
    {
        get
        {
            lock (_signals)
            {
                return _signals.ToList();
            }
        }
    }

    public bool TrySignal(int signal)
    {
        lock (_signals)
        {
            _signals.Add(signal);
        }

        return !_exit.Task.IsCompleted;
    }

    public bool KillLeftoverGroup() => false;

    public List<string> Output { get; } = [];

    public IReadOnlyList<string> RecentOutput => Output;

    public void Exit(int exitCode) => _exit.SetResult(new ProcessExitStatus(exitCode));

    /// <summary>Ends as the exec shim ends a start it could not make (exit code 126 or 127, with the reason).</summary>
    public void FailToExec(string reason, int exitCode = 126) => _exit.SetResult(new ProcessExitStatus(exitCode) { StartFailure = reason });
}
