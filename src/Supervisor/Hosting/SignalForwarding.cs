using System.Runtime.InteropServices;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Hosting;

/// <summary>Signal handlers that only enqueue an event for the control loop and cancel the default termination.</summary>
internal sealed class SignalForwarding : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public SignalForwarding(ControlLoop loop)
    {
        foreach (var (signal, number) in new[] { (PosixSignal.SIGTERM, 15), (PosixSignal.SIGINT, 2), (PosixSignal.SIGQUIT, 3) })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                loop.Post(new SignalReceived(number));
            }));
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
