using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Processes;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// Upgrading the supervisor itself (`supervisor upgrade`, SIGUSR2), on the supervisor being replaced. A new supervisor
/// process is started from the command this one was started with, with every listening socket; it starts workers of
/// its own (this one's are never adopted) and, once all are ready and it accepts, asks to take over. This one then
/// hands over the pid file and systemd's MAINPID, the new one takes the control socket's path, and this one drains
/// and stops like a SIGTERM, without the health endpoint's 503 (the new one answers it). Until the hand-over, any
/// failure of the new supervisor (an exit, a worker of its failing, the time limit) leaves this one serving as if
/// nothing happened, and the new one and all it started are stopped.
/// </summary>
internal sealed partial class ControlLoop
{
    /// <summary>
    /// Beyond its workers' readiness timeout and stop timeout, what a new supervisor may take to start (the runtime,
    /// the config, its sockets) before the upgrade is given up.
    /// </summary>
    internal static readonly TimeSpan UpgradeStartAllowance = TimeSpan.FromSeconds(30);

    private UpgradeOperation? _upgrade;
    private UpgradeOutcome? _lastUpgrade;

    private void OnUpgradeRequested(string origin, TaskCompletionSource<OperationResult>? reply)
    {
        if (Busy() is { } busy)
        {
            RefuseUpgrade(origin, reply, busy);
            return;
        }

        // The new supervisor reads the same file with the same command-line overrides: a config it would refuse is
        // refused here, before anything starts.
        var loaded = _services.ConfigSource.Load();
        if (!loaded.IsValid)
        {
            OperationsLog.ConfigRejected(_logger, origin, _generation, string.Join("; ", loaded.Errors));
            RefuseUpgrade(origin, reply, "the config is invalid", [.. loaded.Errors.Select(e => e.ToString())]);
            return;
        }

        ISuccessor successor;
        try
        {
            successor = _services.Upgrader.Start(Post);
        }
        catch (Exception e) when (e is ChildProcessStartException or IOException)
        {
            var reason = $"cannot start a new supervisor: {e.Message}";
            UpgradeLog.Refused(_logger, origin, reason);
            _lastUpgrade = new UpgradeOutcome("failed", origin, reason, _time.GetUtcNow());
            reply?.TrySetResult(OperationResult.Failure($"upgrade failed: {reason}; this supervisor (pid {Environment.ProcessId}) keeps serving"));
            return;
        }

        var limit = loaded.Config!.Apps.Max(a => a.Worker.Readiness.Timeout) + loaded.Config.LongestStopTimeout + UpgradeStartAllowance;
        _upgrade = new UpgradeOperation(origin, reply, successor) { Deadline = After(limit, new UpgradeTimedOut(successor)) };
        UpgradeLog.Started(_logger, origin, successor.Pid, loaded.Config.Apps.Sum(a => a.Workers.Count), HumanDuration.Format(limit));
    }

    private void RefuseUpgrade(string origin, TaskCompletionSource<OperationResult>? reply, string reason, IReadOnlyList<string>? details = null)
    {
        UpgradeLog.Refused(_logger, origin, reason);
        _lastUpgrade = new UpgradeOutcome("refused", origin, reason, _time.GetUtcNow());
        reply?.TrySetResult(OperationResult.Failure($"upgrade refused: {reason}; nothing was started", details) with { InvalidConfig = details is not null });
    }

    /// <summary>The new supervisor's workers are ready and it accepts: it may have the pid file and systemd's MAINPID.</summary>
    private void OnSuccessorReady(ISuccessor successor, string version)
    {
        if (_upgrade is not { Failure: null } upgrade || upgrade.Successor != successor || upgrade.Granted)
        {
            return;
        }

        upgrade.Version = version;
        upgrade.Granted = true;
        _services.PidFile.Release();
        Notifier.MainPid(successor.Pid, $"handing over to supervisor pid {successor.Pid} (version {version})");
        UpgradeLog.Granted(_logger, successor.Pid, version);
        successor.GrantTakeOver();
    }

    private void OnSuccessorTookOver(ISuccessor successor)
    {
        if (_upgrade is not { Failure: null, Granted: true } upgrade || upgrade.Successor != successor)
        {
            return;
        }

        upgrade.Deadline?.Dispose();
        _upgrade = null;
        var version = upgrade.Version ?? "unknown";
        UpgradeLog.HandedOver(_logger, upgrade.Origin, successor.Pid, version, Environment.ProcessId, HumanDuration.Format(_config.ShutdownTimeout));
        upgrade.Reply?.TrySetResult(OperationResult.Success($"upgraded: supervisor pid {successor.Pid} (version {version}) has taken over with its own workers; pid {Environment.ProcessId} is finishing its in-flight requests (up to {HumanDuration.Format(_config.ShutdownTimeout)}) and stopping its workers") with { Pid = successor.Pid });
        BeginStop($"the hand-over to supervisor pid {successor.Pid} (upgrade, {upgrade.Origin})", handOver: true);
    }

    /// <summary>Before the hand-over: the new supervisor is stopped, with all it started; this one serves on.</summary>
    private void OnSuccessorFailed(ISuccessor successor, string reason)
    {
        if (_upgrade is not { Failure: null } upgrade || upgrade.Successor != successor)
        {
            return;
        }

        upgrade.Failure = reason;
        upgrade.Deadline?.Dispose();
        UpgradeLog.Failed(_logger, upgrade.Origin, reason, successor.Pid);
        TakeBack(upgrade);
        PostWhenDone(successor.StopAsync(_config.LongestStopTimeout + KillWait + TimeSpan.FromSeconds(5)), _ => new SuccessorStopped(successor));
    }

    private void OnSuccessorStopped(ISuccessor successor)
    {
        if (_upgrade is not { Failure: { } failure } upgrade || upgrade.Successor != successor)
        {
            return;
        }

        _upgrade = null;
        _lastUpgrade = new UpgradeOutcome("failed", upgrade.Origin, failure, _time.GetUtcNow());
        upgrade.Reply?.TrySetResult(OperationResult.Failure(
            $"upgrade failed: {failure}; the new supervisor (pid {successor.Pid}) and everything it started were stopped; this supervisor (pid {Environment.ProcessId}) keeps serving with the same workers",
            successor.RecentOutput));
    }

    /// <summary>The supervisor is stopping while an upgrade runs: the new supervisor and all it started go at once.</summary>
    private void AbandonUpgrade(string reason)
    {
        if (_upgrade is not { } upgrade)
        {
            return;
        }

        _upgrade = null;
        upgrade.Deadline?.Dispose();
        upgrade.Successor.Kill();
        TakeBack(upgrade);
        _lastUpgrade = new UpgradeOutcome("failed", upgrade.Origin, $"interrupted: {reason}", _time.GetUtcNow());
        upgrade.Reply?.TrySetResult(OperationResult.Failure($"upgrade interrupted: {reason}; the new supervisor (pid {upgrade.Successor.Pid}) was killed", upgrade.Successor.RecentOutput));
    }

    /// <summary>What was handed to a new supervisor that then failed: the pid file, systemd's MAINPID.</summary>
    private void TakeBack(UpgradeOperation upgrade)
    {
        if (upgrade.Granted)
        {
            upgrade.Granted = false;
            _services.PidFile.Claim();
            Notifier.MainPid(Environment.ProcessId, ReadyCount());
        }
    }
}
