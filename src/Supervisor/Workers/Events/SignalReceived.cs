namespace Cluster.Supervisor.Workers.Events;

/// <summary>The supervisor process received a POSIX signal (SIGTERM, SIGINT, SIGQUIT).</summary>
internal sealed record SignalReceived(int Signal) : ControlEvent;
