using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Hosting.PidFiles;

/// <summary>
/// Which signal asks each leftover of a previous supervisor to stop: the worker.stopSignal of its app in the config
/// now starting, as a planned stop of that worker would send (a recorded worker by its recorded app; a process of its
/// process group by that worker's). Where the app is not known (no recorded worker leads its group) or is no longer
/// in the config: worker.stopSignal's default, SIGTERM.
/// </summary>
internal static class LeftoverSignals
{
    /// <summary>worker.stopSignal's default (Layout/ConfigLayout.cs).</summary>
    public const StopSignal Default = StopSignal.Terminate;

    /// <param name="leftovers">Each leftover's PID and process group (every worker leads one; its children stay in it).</param>
    /// <param name="apps">The apps of the config now starting.</param>
    public static IReadOnlyList<Leftover> Plan(PidFileContent previous, IEnumerable<(int Pid, int Group)> leftovers, IReadOnlyList<AppConfig> apps) =>
    [
        .. leftovers.Select(leftover =>
        {
            var worker = previous.Workers.FirstOrDefault(w => w.Pid == leftover.Pid) ?? previous.Workers.FirstOrDefault(w => w.Pid == leftover.Group);
            return new Leftover(leftover.Pid, worker, worker is null ? Default : SignalOf(worker, apps));
        }),
    ];

    /// <remarks>A pid file written before workers were recorded with their app is one of a supervisor that ran one app: "default".</remarks>
    private static StopSignal SignalOf(RecordedWorker worker, IReadOnlyList<AppConfig> apps) =>
        apps.FirstOrDefault(a => a.Name == (worker.App ?? AppConfig.DefaultName))?.Worker.StopSignal ?? Default;
}
