using Cluster.Supervisor.Logging;

namespace Cluster.Supervisor.Pools;

/// <summary>
/// Sizes the pools of the apps whose "workers" is a range, once per check (the loop checks once a second), after
/// php-fpm's dynamic process manager (fpm_process_ctl.c), as docs/pools.md states the rules:
/// <list type="bullet">
/// <item>below <c>min</c>: start what is missing;</item>
/// <item>fewer idle ready workers (no request in flight) than <c>spare</c>, counting those starting as idle to come,
/// plus the workers the queue asks for, and below <c>max</c>: start the difference, at most the spawn rate, which
/// doubles at each check that still starts (1, 2, 4, ... up to <see cref="MaxSpawnRate"/>) and falls back to 1 at a
/// check that does not;</item>
/// <item>otherwise, nothing waiting, above <c>min</c>, more idle workers than <c>spare</c>, and no worker of the app
/// started within <c>idleTimeout</c>: retire the worker idle longest, if idle for <c>idleTimeout</c>; one per check;</item>
/// <item><c>min</c> 0 is on demand: with nothing in flight and nothing waiting the app keeps no spare, so its last
/// worker goes after <c>idleTimeout</c>, and a request waiting in its queue starts one;</item>
/// <item>with <c>maxWorkers</c>, starts beyond the cap wait: the app with the most idle workers (a range, above its
/// <c>min</c>) retires one first (the one idle longest), and the start happens at a later check, once it is gone.</item>
/// </list>
/// Pure but for the spawn rate it remembers per app; the time comes from the injected clock. Fixed counts are not
/// sized here (they count towards <c>maxWorkers</c>).
/// </summary>
internal sealed class PoolSizer(TimeProvider time)
{
    /// <summary>php-fpm's default pm.max_spawn_rate: the most workers one check starts for one app.</summary>
    public const int MaxSpawnRate = 32;

    private readonly Dictionary<string, int> _spawnRate = new(StringComparer.Ordinal);

    /// <summary>The decisions of one check over every app (in config order), the machine-wide cap applied.</summary>
    /// <param name="leaving">
    /// Worker processes that are in no app's pool but still run (retired and not gone yet, replacements starting):
    /// they count towards <paramref name="maxWorkers"/>, so that a worker given up for another app is gone before that
    /// app's start happens.
    /// </param>
    public IReadOnlyList<PoolDecision> Check(IReadOnlyList<AppLoad> apps, int? maxWorkers, int leaving = 0)
    {
        var now = time.GetUtcNow();
        var decisions = new List<PoolDecision>();
        var room = maxWorkers is { } cap ? cap - apps.Sum(a => a.Total) - leaving : int.MaxValue;
        foreach (var app in apps.Where(a => a.Workers.IsRanged && !decisions.Any(d => d.App == a.App)))
        {
            if (Wanted(app) is not { } start)
            {
                if (Retirement(app, now) is { } retire)
                {
                    decisions.Add(retire);
                }

                continue;
            }

            var (count, why, detail) = start;
            var granted = Math.Min(count, Math.Max(0, room));
            room -= granted;
            if (granted > 0)
            {
                decisions.Add(Start(app, granted, why, granted < count ? $"{detail}; {count - granted} more held back by maxWorkers {maxWorkers}" : detail));
            }

            // A worker another app gave up already and that is still exiting makes room for this start: wait for it
            // rather than take one more.
            var awaited = Math.Min(count - granted, leaving);
            leaving -= awaited;
            if (granted + awaited < count)
            {
                decisions.Add(Donor(apps, app, decisions) is { } donor
                    ? Retire(donor, Longest(donor), "maxWorkers", $"maxWorkers {maxWorkers} reached and app {app.App} needs a worker; {donor.App} has the most idle ({donor.Idle} of {donor.Ready} ready)")
                    : new PoolDecision(app.App, PoolAction.Held, count - granted, null, app.Total + granted, app.Total + granted, "maxWorkers", $"app {app.App}: {count - granted} more worker(s) wanted ({detail}), held back: maxWorkers {maxWorkers} reached and no other app has an idle worker above its min"));
            }
        }

        // An app gone from the config (or become fixed) starts afresh if it comes back.
        foreach (var gone in _spawnRate.Keys.Where(k => !apps.Any(a => a.App == k && a.Workers.IsRanged)).ToList())
        {
            _spawnRate.Remove(gone);
        }

        return decisions;
    }

    /// <summary>The start this app asks for (before the cap), or null; moves its spawn rate.</summary>
    private (int Count, string Why, string Detail)? Wanted(AppLoad app)
    {
        var range = app.Workers.Range!;
        if (app.Total < range.Min)
        {
            _spawnRate[app.App] = 1;
            return (range.Min - app.Total, "min", $"below min {range.Min}");
        }

        var shortfall = app.SpareWanted + app.WantedForQueue - app.Idle - app.Starting;
        var rate = _spawnRate.GetValueOrDefault(app.App, 1);
        if (shortfall <= 0 || app.Total >= range.Max.Count)
        {
            _spawnRate[app.App] = 1;
            return null;
        }

        _spawnRate[app.App] = Math.Min(rate * 2, MaxSpawnRate);
        var count = Math.Min(Math.Min(shortfall, rate), range.Max.Count - app.Total);
        var load = $"{app.Idle} of {app.Ready} idle{(app.Starting > 0 ? $", {app.Starting} starting" : string.Empty)}{(app.Queued > 0 ? $", {app.Queued} queued" : string.Empty)}";
        return (count, app.Queued > 0 ? "queue" : "spare", range.OnDemand && app.Total == 0 ? $"on demand, {load}" : load);
    }

    /// <summary>The worker idle for idleTimeout to retire now, if the rules allow one.</summary>
    private static PoolDecision? Retirement(AppLoad app, DateTimeOffset now)
    {
        var range = app.Workers.Range!;
        if (app.Queued > 0 || app.Total <= range.Min || app.Idle <= app.SpareWanted || app.Members.Count == 0)
        {
            return null;
        }

        // No flapping: nothing is retired within idleTimeout of the app's latest start.
        if (now - app.Members.Max(m => m.StartedAt) < range.IdleTimeout)
        {
            return null;
        }

        var longest = Longest(app);
        var idleFor = now - (longest.IdleSince ?? now);
        return idleFor < range.IdleTimeout ? null : Retire(app, longest, "idle", $"worker {longest.Id} idle for {HumanDuration.Format(idleFor)}, {app.Idle} of {app.Ready} idle");
    }

    /// <summary>The app with the most idle workers that can give one (a range, above its min, with no decision of its own this check), other than <paramref name="needy"/>.</summary>
    private static AppLoad? Donor(IReadOnlyList<AppLoad> apps, AppLoad needy, List<PoolDecision> decisions) => apps
        .Where(a => a != needy && a.Workers.Range is { } range && a.Total > range.Min && a.Idle > 0 && !decisions.Any(d => d.App == a.App))
        .OrderByDescending(a => a.Idle)
        .FirstOrDefault();

    /// <summary>The idle worker idle longest (the earliest started among equals).</summary>
    private static PoolWorker Longest(AppLoad app) => app.Members.Where(m => m.Idle).OrderBy(m => m.IdleSince ?? DateTimeOffset.MaxValue).ThenBy(m => m.StartedAt).First();

    private static PoolDecision Start(AppLoad app, int count, string why, string detail) =>
        new(app.App, PoolAction.Start, count, null, app.Total, app.Total + count, why, Describe(app, app.Total + count, detail));

    private static PoolDecision Retire(AppLoad app, PoolWorker worker, string why, string detail) =>
        new(app.App, PoolAction.Retire, 1, worker.Id, app.Total, app.Total - 1, why, Describe(app, app.Total - 1, detail));

    private static string Describe(AppLoad app, int to, string detail) => $"app {app.App}: {app.Total} -> {to} workers: {detail}";
}
