using Cluster.Shared.Configuration;
using Cluster.Supervisor.Pools;
using Cluster.Supervisor.Workers.Events;

namespace Cluster.Supervisor.Workers;

/// <summary>
/// Pools that follow the load (docs/pools.md): once a second, while some app's workers are a range, the loop reads
/// each app's activity from its front end, and the <see cref="PoolSizer"/> decides over every app at once (the
/// machine-wide cap compares them): a start raises the app's slot count, a retirement drains and stops the worker
/// idle longest. An app whose range `scale` overrides, or that a rolling reload, restart or scale is working on,
/// keeps its size meanwhile (it still counts towards maxWorkers).
/// </summary>
internal sealed partial class ControlLoop
{
    internal static readonly TimeSpan PoolCheckInterval = TimeSpan.FromSeconds(1);

    private PoolSizer? _sizer;
    private ITimer? _poolTimer;

    private PoolSizer Sizer => _sizer ??= new PoolSizer(_time);

    /// <summary>
    /// The workers an app starts with: a fixed count, or a range's min plus spare (none on demand), its spares cut to
    /// fit under maxWorkers beside <paramref name="others"/> (the workers the other apps start with, or keep at least);
    /// validation made sure that every app's min fits.
    /// </summary>
    private int StartingCount(AppConfig app, int others) =>
        app.Workers.Range is { } range && _config.MaxWorkers is { } cap
            ? Math.Max(range.Min, Math.Min(app.Workers.Count, cap - others))
            : app.Workers.Count;

    /// <summary>The check runs once a second while an app serving is a range, and not at all otherwise.</summary>
    private void SchedulePoolChecks()
    {
        var wanted = _phase == SupervisorPhase.Running && _groups.Any(g => g.Phase == GroupPhase.Serving && g.Config.Workers.IsRanged);
        if (wanted && _poolTimer is null)
        {
            _poolTimer = _time.CreateTimer(_ => Post(new PoolCheckDue()), null, PoolCheckInterval, PoolCheckInterval);
        }
        else if (!wanted && _poolTimer is not null)
        {
            StopPoolChecks();
        }
    }

    private void StopPoolChecks()
    {
        _poolTimer?.Dispose();
        _poolTimer = null;
    }

    private void CheckPools()
    {
        // A supervisor taking over sizes nothing until its predecessor has handed over (its workers get no traffic yet).
        if (_phase != SupervisorPhase.Running || TakingOver)
        {
            return;
        }

        var serving = Serving;
        var loads = serving.Select(Load).ToList();
        // Under the machine-wide cap, a worker given up for another app still counts until its process is gone
        // ("retire first, then start"), as do replacements still starting: the cap is on processes.
        var outsideSlots = _groups.Sum(g => g.Workers.Count(w => w.Process is not null && !g.IsSlotHolder(w)));
        var decisions = Sizer.Check(loads, _config.MaxWorkers, outsideSlots);
        foreach (var group in serving)
        {
            ReportHeld(group, decisions.FirstOrDefault(d => d.App == group.Name && d.Action == PoolAction.Held));
        }

        foreach (var decision in decisions.Where(d => d.Action != PoolAction.Held))
        {
            var group = serving.First(g => g.Name == decision.App);
            using (AppScope(group))
            {
                PoolLog.Decided(_logger, decision.Reason);
            }

            var direction = decision.Action == PoolAction.Start ? "up" : "down";
            group.ScaleEvents[(direction, decision.Why)] = group.ScaleEvents.GetValueOrDefault((direction, decision.Why)) + 1;
            if (decision.Action == PoolAction.Start)
            {
                Grow(group, decision.Count);
            }
            else if (group.SlotHolders.FirstOrDefault(w => w.Id == decision.WorkerId) is { } worker)
            {
                // The decision's line above gives the whole reason; the worker's own lines say which it was.
                Shrink(group, worker, decision.Why == "maxWorkers" ? "given to another app under maxWorkers" : "idle for workers.idleTimeout");
            }
        }
    }

    /// <summary>
    /// One app as the sizer sees it now: its slot holders (ready, or on their way: starting, restarting), how busy
    /// each is and since when idle, and what waits for a worker. An app the sizer must leave alone now is given as a
    /// fixed count of its slots, which still counts towards maxWorkers.
    /// </summary>
    private AppLoad Load(WorkerGroup group)
    {
        var now = _time.GetUtcNow();
        var holders = group.SlotHolders;
        var running = holders.Where(w => w.Process is not null).ToList();
        var activity = group.FrontEnd.Activity(group.Name, [.. running.Select(w => w.Endpoint)]);
        var busy = running.Select((worker, i) => (worker, activity.Workers[i])).ToDictionary(p => p.worker, p => p.Item2);
        group.Idle.Keep([.. holders.Select(w => w.Id)]);
        var members = holders.Select(worker =>
        {
            var ready = worker.State == WorkerState.Ready;
            var (inFlight, served) = busy.TryGetValue(worker, out var seen) ? (seen.Busy, seen.Served) : (0L, 0L);
            return new PoolWorker(worker.Id, ready, inFlight, worker.StartedAt, group.Idle.Observe(worker.Id, ready, inFlight, served, now));
        }).ToList();
        var sized = group.IsSized && group.Reload is null && group.Scale is null;
        var workers = sized ? group.Config.Workers : new WorkerCount(group.Desired, IsAuto: false);
        return new AppLoad(group.Name, workers, group.Config.Worker.MaxConcurrency, members, activity.Waiting);
    }

    /// <summary>A held start is logged when it begins and when it ends, not at every check.</summary>
    private void ReportHeld(WorkerGroup group, PoolDecision? held)
    {
        if ((held is null) == (group.Held is null))
        {
            return;
        }

        group.Held = held?.Reason;
        using (AppScope(group))
        {
            if (held is not null)
            {
                PoolLog.Held(_logger, held.Reason);
            }
            else
            {
                PoolLog.NoLongerHeld(_logger, group.Name);
            }
        }
    }

    /// <summary>More slots: each new worker takes the lowest id no worker holds.</summary>
    private void Grow(WorkerGroup group, int count)
    {
        group.Desired = group.SlotHolders.Count + count;
        ManageWorkers(group);
    }

    /// <summary>The worker the sizer chose leaves its slot: drained (no new request goes to it), then stopped.</summary>
    private void Shrink(WorkerGroup group, Worker worker, string reason)
    {
        group.Desired = group.SlotHolders.Count - 1;
        group.Idle.Forget(worker.Id);
        RetireHolder(worker, $"retired by the pool: {reason}");
    }
}
