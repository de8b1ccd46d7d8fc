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

    private static readonly (PosixSignal Signal, int Number)[] Forwarded =
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

    public SignalForwarding(ControlLoop loop)
    {
        foreach (var (signal, number) in Forwarded)
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                loop.Post(new SignalReceived(number));
            }));
        }
    }

    /// <summary>The numbers of the signals it handles (see <see cref="SignalDispositions"/>).</summary>
    public static IEnumerable<int> Handled => Forwarded.Select(s => s.Number);

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
