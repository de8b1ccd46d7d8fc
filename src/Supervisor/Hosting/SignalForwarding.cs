using System.Runtime.InteropServices;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Hosting;

/// <summary>
/// Signal handlers that only enqueue an event for the control loop and cancel the default action: SIGTERM/SIGINT/SIGQUIT
/// stop, SIGHUP re-reads the config, SIGTTIN/SIGTTOU add or remove a worker, SIGUSR2 upgrades the supervisor itself
/// (nginx's and gunicorn's conventions).
/// </summary>
internal sealed class SignalForwarding : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public SignalForwarding(ControlLoop loop)
    {
        (PosixSignal Signal, int Number)[] handled =
        [
            (PosixSignal.SIGTERM, PosixSignals.SIGTERM),
            (PosixSignal.SIGINT, PosixSignals.SIGINT),
            (PosixSignal.SIGQUIT, PosixSignals.SIGQUIT),
            (PosixSignal.SIGHUP, PosixSignals.SIGHUP),
            (PosixSignal.SIGTTIN, PosixSignals.SIGTTIN),
            (PosixSignal.SIGTTOU, PosixSignals.SIGTTOU),
            // No name in PosixSignal: .NET takes the raw number on Linux.
            ((PosixSignal)PosixSignals.SIGUSR2, PosixSignals.SIGUSR2),
        ];
        foreach (var (signal, number) in handled)
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
