namespace Cluster.Shared.Configuration;

/// <summary>worker.stopSignal: the signal that asks a worker to stop; each value is its Linux signal number.</summary>
public enum StopSignal
{
    Hangup = 1,
    Interrupt = 2,
    Quit = 3,
    User1 = 10,
    User2 = 12,
    Terminate = 15,
    WindowChange = 28,
}
