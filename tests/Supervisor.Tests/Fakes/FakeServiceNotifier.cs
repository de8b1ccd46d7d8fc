using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.Fakes;

/// <summary>Records what the loop tells the service manager, as "READY=1: status" lines in order.</summary>
internal sealed class FakeServiceNotifier : IServiceNotifier
{
    private readonly List<string> _sent = [];

    /// <summary>Set before the loop starts (the harness's arrange step) to turn watchdog pings on.</summary>
    public TimeSpan? WatchdogInterval { get; set; }

    /// <summary>Everything sent, in order: "READY=1: 2 of 2 workers ready", "STATUS=...", "WATCHDOG=1".</summary>
    public IReadOnlyList<string> Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToList();
            }
        }
    }

    /// <summary>Only the state changes (READY, RELOADING, STOPPING), without status lines and pings.</summary>
    public IReadOnlyList<string> States => Sent.Where(m => !m.StartsWith("STATUS=", StringComparison.Ordinal) && m != "WATCHDOG=1").ToList();

    public int WatchdogPings => Sent.Count(m => m == "WATCHDOG=1");

    public void Ready(string status) => Add($"READY=1: {status}");

    public void Reloading(string status) => Add($"RELOADING=1: {status}");

    public void Stopping(string status) => Add($"STOPPING=1: {status}");

    public void Status(string status) => Add($"STATUS={status}");

    public void Watchdog() => Add("WATCHDOG=1");

    public void MainPid(int pid, string status) => Add($"MAINPID={pid}: {status}");

    private void Add(string message)
    {
        lock (_sent)
        {
            _sent.Add(message);
        }
    }
}
