using Cluster.Supervisor.Workers.Restarts;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>Everything the control loop talks to; the tests give it fakes and a manual clock.</summary>
internal sealed record LoopServices(
    IWorkerLauncher Launcher,
    IPortAllocator Ports,
    IReadinessProbe Readiness,
    IHealthProbe Health,
    IProcessMemory Memory,
    IFrontEnds FrontEnds,
    IPidFile PidFile,
    IConfigSource ConfigSource,
    ILogLevelControl LogLevel,
    TimeProvider Time,
    Func<double> Random,
    ILogger Logger)
{
    /// <summary>systemd's notify socket when the supervisor runs as a Type=notify unit; silent otherwise.</summary>
    public IServiceNotifier Notifier { get; init; } = NullServiceNotifier.Instance;

    /// <summary>The workers' own notify sockets, for readiness.notify.</summary>
    public required INotifySockets NotifySockets { get; init; }

    /// <summary>What happens once the workers can first take traffic (accepting on handed-over sockets).</summary>
    public IServingStart Serving { get; init; } = NoServingStart.Instance;

    /// <summary>Starts a new supervisor for `supervisor upgrade` and SIGUSR2; refused where none can be started.</summary>
    public IUpgrader Upgrader { get; init; } = NoUpgrader.Instance;

    /// <summary>The supervisor this one takes over from (it was started by an upgrade); null for a plain start.</summary>
    public IPredecessor? Predecessor { get; init; }
}
