using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// Telling the service manager (systemd, Type=notify) what the supervisor is doing: READY=1 once start-up has settled,
/// RELOADING=1 and READY=1 around every config reload, STOPPING=1, a STATUS= line whenever it changes, and watchdog
/// pings. The pings come from a timer event handled by this loop, not from a thread of their own, so a stuck loop stops
/// pinging and systemd restarts the service.
/// </summary>
internal sealed partial class ControlLoop
{
    private ITimer? _watchdogTimer;
    private bool _readyNotified;
    private bool _reloadNotified;
    private string? _statusNotified;

    /// <summary>How the reload systemd was told of (RELOADING=1) ended, for the STATUS= of the READY=1 that follows.</summary>
    private string? _reloadSummary;

    private IServiceNotifier Notifier => _services.Notifier;

    /// <summary>Pings at half the watchdog timeout, as sd_watchdog_enabled(3) recommends.</summary>
    private void StartWatchdog()
    {
        if (Notifier.WatchdogInterval is { } timeout)
        {
            var every = timeout / 2;
            _watchdogTimer = _time.CreateTimer(_ => Post(new WatchdogDue()), null, every, every);
        }
    }

    private void StopWatchdog()
    {
        _watchdogTimer?.Dispose();
        _watchdogTimer = null;
    }

    /// <summary>
    /// Called as a SIGHUP or `supervisor reload` is taken up, before anything else happens: READY=1 follows after the
    /// event once no rolling reload is left running, even when the reload was refused, so `systemctl reload` never
    /// waits in vain. Before start-up has settled there is nothing to reload from; the READY=1 of start-up covers it.
    /// </summary>
    private void NotifyReloading(string origin)
    {
        if (_readyNotified && !_reloadNotified && _phase == SupervisorPhase.Running)
        {
            _reloadNotified = true;
            _statusNotified = $"reloading ({origin}): {ReadyCount()}";
            Notifier.Reloading(_statusNotified);
        }
    }

    private void NotifyStopping(string source)
    {
        if (TakingOver)
        {
            // Never systemd's main process: nothing to tell it.
            return;
        }

        _reloadNotified = false;
        _statusNotified = $"stopping ({source}): finishing in-flight requests (up to {HumanDuration.Format(_config.ShutdownTimeout)})";
        Notifier.Stopping(_statusNotified);
    }

    /// <summary>After every event: READY=1 when start-up has settled or a reload is over, otherwise a changed STATUS=.</summary>
    private void NotifyServiceManager()
    {
        if (TakingOver)
        {
            // systemd hears from this supervisor once it is its main process (the predecessor's MAINPID=).
            return;
        }

        switch (_phase)
        {
            case SupervisorPhase.Running when !_readyNotified && StartupSettled():
                _readyNotified = true;
                _statusNotified = ReadyCount();
                Notifier.Ready(_statusNotified);
                break;
            case SupervisorPhase.Running when _reloadNotified && _groups.All(g => g.Reload is null):
                _reloadNotified = false;
                _statusNotified = _reloadSummary is { } summary ? $"{summary}; {ReadyCount()}" : ReadyCount();
                _reloadSummary = null;
                Notifier.Ready(_statusNotified);
                break;
            case SupervisorPhase.Running:
                NotifyStatus(!_readyNotified ? $"starting: {ReadyCount()}" : _reloadNotified ? $"reloading: {ReadyCount()}" : ReadyCount());
                break;
            case SupervisorPhase.StoppingWorkers:
                NotifyStatus($"stopping: {AllWorkers.Count} worker(s) left");
                break;
        }
    }

    private void NotifyStatus(string status)
    {
        if (status != _statusNotified)
        {
            _statusNotified = status;
            Notifier.Status(status);
        }
    }

    private string ReadyCount() => $"{ReadyWorkers} of {Serving.Sum(g => g.Desired)} workers ready";

    /// <param name="app">The app's name, when there are several.</param>
    private static string Summary(Operations.ReloadOutcome outcome, string? app) => (app is null ? string.Empty : $"app {app}: ") + outcome.Result switch
    {
        Operations.ReloadResult.Committed => $"reload committed: generation {outcome.Generation}",
        Operations.ReloadResult.RolledBack => $"reload rolled back to generation {outcome.Generation}: {outcome.Detail}",
        Operations.ReloadResult.Refused => $"reload refused: {outcome.Detail}",
        _ => $"reload failed: {outcome.Detail}",
    };

    private int ReadyWorkers => Serving.Sum(g => g.ReadyCount);

    /// <summary>
    /// Start-up has settled when every slot has a ready worker, or when at least one is ready and every other slot's
    /// first start has failed (exited, or not ready within worker.readiness.timeout). A crash-looping slot thus delays
    /// READY=1 by one failed start at most, while the others serve; with no ready worker at all the service is not up,
    /// and systemd's TimeoutStartSec decides, unless no app wants a worker yet (apps on demand only, workers.min 0).
    /// </summary>
    private bool StartupSettled() =>
        (ReadyWorkers > 0 || Serving.All(g => g.Desired == 0))
        && Serving.All(g => g.SlotHolders.Count >= g.Desired && g.SlotHolders.All(w => w.State == WorkerState.Ready || w.LastExit is not null));
}
