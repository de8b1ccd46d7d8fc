using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers.Events;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// Recycling (recycle.maxMemoryMb, recycle.maxRequests): the replacement starts first; only once it is ready does the
/// old worker leave the rotation, in the same update that adds the new one, so capacity never drops. Then the old one
/// drains its in-flight requests and is stopped.
/// </summary>
internal sealed partial class ControlLoop
{
    internal static readonly TimeSpan RecycleCheckInterval = TimeSpan.FromSeconds(1);

    private const long Megabyte = 1024 * 1024;

    private void CheckRecycleLimits(WorkerGroup group)
    {
        // Not while a reload replaces (and may roll back) the workers: it would replace them twice.
        if (_phase != SupervisorPhase.Running || group.Phase != GroupPhase.Serving || group.Reload is not null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var candidates = group.Workers.Where(w => w.State == WorkerState.Ready && w.ReplacedBy is null && !w.Retiring && now >= w.NextRecycleAttempt);
        foreach (var worker in candidates.ToList())
        {
            if (RecycleReason(worker) is { } reason)
            {
                StartReplacement(worker, reason);
            }
        }
    }

    private string? RecycleReason(Worker worker)
    {
        var recycle = worker.Group.Config.Recycle;
        if (worker.RequestLimit is long limit && worker.Group.FrontEnd.Served(worker.Endpoint) is var served && served >= limit)
        {
            return $"served {served} requests, its limit is {limit} (recycle.maxRequests {recycle.MaxRequests} plus jitter)";
        }

        if (recycle.MaxMemoryMb is int maxMb && worker.Pid is int pid && _services.Memory.ResidentBytes(pid) is long resident && resident > maxMb * Megabyte)
        {
            return $"uses {resident / Megabyte} MB of resident memory, over recycle.maxMemoryMb ({maxMb})";
        }

        return null;
    }

    /// <summary>Starts the new worker of a slot; the old one keeps serving until the new one is ready.</summary>
    private Worker StartReplacement(Worker old, string reason)
    {
        using (AppScope(old.Group))
        {
            WorkerLog.Recycling(_logger, old.Id, old.Pid, reason);
        }

        var replacement = Worker.ReplacementFor(old);
        old.ReplacedBy = replacement;
        old.Group.Workers.Add(replacement);
        Spawn(replacement);
        return replacement;
    }

    /// <summary>The replacement is ready: the old worker leaves the rotation (in the same publish) and drains.</summary>
    private void CompleteRecycle(Worker old, Worker replacement)
    {
        replacement.Replaces = null;
        old.ReplacedBy = null;
        old.RecycleFailures = 0;
        old.Retiring = true;
        var reason = $"replaced by pid {replacement.Pid}";
        if (old.State == WorkerState.Ready)
        {
            var park = ParksReplaced(replacement);
            old.ParkAfterDrain = park;
            BeginDrain(old, park ? $"{reason} (to be parked until the reload is confirmed)" : reason, park);
        }
        else if (old.State is WorkerState.Unhealthy or WorkerState.Starting)
        {
            Stop(old, reason);
        }
    }

    /// <summary>
    /// Ready -> Draining: out of rotation (at the next publish), stopped (or parked) once nothing is in flight. With a
    /// shared socket the supervisor sees no requests: Ready -> Stopping, and SIGTERM makes the worker stop accepting
    /// and finish its requests itself (within worker.stopTimeout); a worker to be parked waits instead until it holds
    /// no client connection, as SIGSTOP would freeze them.
    /// </summary>
    /// <param name="park">Keep it: with a shared socket it then drains by its client connections (seen in /proc).</param>
    private void BeginDrain(Worker worker, string reason, bool park = false)
    {
        if (worker.Group.FrontEnd.ReachableOutOfRotation && !park)
        {
            Stop(worker, $"{reason}; it stops accepting from the shared socket and finishes its requests");
            return;
        }

        var drainTimeout = worker.Group.Config.Worker.DrainTimeout;
        _transitions.Move(worker, WorkerState.Draining, $"{reason}; out of rotation, finishing in-flight requests (up to {HumanDuration.Format(drainTimeout)})");
        AwaitIdle(worker);
        worker.ReplaceTimer(After(drainTimeout, new DrainTimedOut(worker, worker.Spawn)));
    }

    /// <summary>DrainCompleted once the front end sees the draining worker idle.</summary>
    private void AwaitIdle(Worker worker)
    {
        var spawn = worker.Spawn;
        PostWhenDone(worker.Group.FrontEnd.WhenIdleAsync(worker.Endpoint), _ => new DrainCompleted(worker, spawn));
    }

    /// <summary>The replacement died or timed out before it was ready: the old worker keeps serving; try later.</summary>
    private void AbandonRecycle(Worker old, Worker replacement)
    {
        replacement.Replaces = null;
        old.ReplacedBy = null;
        old.RecycleFailures++;
        var wait = old.Group.RestartPolicy.Delay(old.RecycleFailures);
        old.NextRecycleAttempt = _time.GetUtcNow() + wait;
        var retry = old.Group.Config.Recycle.Enabled ? $"; next recycle attempt in {HumanDuration.Format(wait)}" : string.Empty;
        var reason = $"this replacement for pid {old.Pid} failed; pid {old.Pid} keeps serving{retry}";
        replacement.Decided(ExitAction.ReplacementFailed, reason);
        _transitions.Move(replacement, WorkerState.Stopped, reason, LogLevel.Warning);
        old.Group.Workers.Remove(replacement);
    }
}
