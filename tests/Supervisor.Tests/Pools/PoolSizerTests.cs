using Cluster.Shared.Configuration;
using Cluster.Supervisor.Pools;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Supervisor.Tests.Pools;

/// <summary>Every rule of docs/pools.md, on the manual clock: spare, max, the doubling bound, idle retirement, no flapping, on demand, the machine-wide cap.</summary>
public sealed class PoolSizerTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private PoolSizer _sizer = null!;
    private int _nextId;

    private DateTimeOffset Now => _time.GetUtcNow();

    [SetUp]
    public void CreateSizer() => _sizer = new PoolSizer(_time);

    [Test]
    public void A_pool_at_min_plus_spare_with_every_worker_idle_is_left_alone()
    {
        var range = Range(min: 2, max: 8, spare: 1);
        Assert.That(range.Initial, Is.EqualTo(3), "a pool starts with min plus spare");

        Assert.That(_sizer.Check([App("shop", range, Idle(3, since: Now))], null), Is.Empty);
    }

    [Test]
    public void Below_min_the_missing_workers_start_at_once()
    {
        var decision = _sizer.Check([App("shop", Range(min: 3, max: 8, spare: 1), Busy(1))], null).Single();

        Assert.That((decision.Action, decision.Count, decision.Why, decision.Reason), Is.EqualTo((PoolAction.Start, 2, "min", "app shop: 1 -> 3 workers: below min 3")));
    }

    [Test]
    public void Fewer_idle_than_spare_starts_one_and_says_why()
    {
        var decision = _sizer.Check([App("shop", Range(min: 1, max: 8, spare: 1), Busy(3), cap: 4, queued: 12)], null).Single();

        Assert.That((decision.Action, decision.Count, decision.From, decision.To, decision.Why), Is.EqualTo((PoolAction.Start, 1, 3, 4, "queue")));
        Assert.That(decision.Reason, Is.EqualTo("app shop: 3 -> 4 workers: 0 of 3 idle, 12 queued"));
    }

    [Test]
    public void Workers_starting_count_as_idle_to_come()
    {
        var members = Busy(2).Concat(Starting(1)).ToList();

        Assert.That(_sizer.Check([App("shop", Range(min: 1, max: 8, spare: 1), members)], null), Is.Empty);
    }

    [Test]
    public void The_number_started_per_check_doubles_up_to_the_bound_while_the_pool_stays_short()
    {
        var range = Range(min: 1, max: 1024, spare: 1);
        var members = Busy(1).ToList();
        var started = new List<int>();
        for (var check = 0; check < 8; check++)
        {
            var decision = _sizer.Check([App("shop", range, members, cap: 1, queued: 1000)], null).Single();
            started.Add(decision.Count);
            members.AddRange(Busy(decision.Count));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.That(started, Is.EqualTo(new[] { 1, 2, 4, 8, 16, 32, 32, 32 }));
        Assert.That(PoolSizer.MaxSpawnRate, Is.EqualTo(32));
    }

    [Test]
    public void The_spawn_rate_falls_back_to_one_after_a_check_that_starts_nothing()
    {
        var range = Range(min: 1, max: 100, spare: 1);
        _sizer.Check([App("shop", range, Busy(1), cap: 1, queued: 50)], null);
        _sizer.Check([App("shop", range, Busy(2), cap: 1, queued: 50)], null);
        Assert.That(_sizer.Check([App("shop", range, Busy(4).Concat(Idle(1, Now)).ToList())], null), Is.Empty);

        Assert.That(_sizer.Check([App("shop", range, Busy(5), cap: 1, queued: 50)], null).Single().Count, Is.EqualTo(1));
    }

    [Test]
    public void At_max_nothing_starts_however_busy_and_near_it_only_up_to_max()
    {
        var range = Range(min: 1, max: 4, spare: 2);

        Assert.That(_sizer.Check([App("shop", range, Busy(4), cap: 1, queued: 30)], null), Is.Empty);
        _sizer.Check([App("shop", range, Busy(1), cap: 1, queued: 30)], null);
        Assert.That(_sizer.Check([App("shop", range, Busy(3), cap: 1, queued: 30)], null).Single().Count, Is.EqualTo(1), "rate 2, one short of max");
    }

    [Test]
    public void A_worker_idle_for_idle_timeout_is_retired_the_longest_idle_first_one_per_check()
    {
        var range = Range(min: 1, max: 8, spare: 1);
        var members = new List<PoolWorker>
        {
            Worker(ready: true, inFlight: 0, started: Now.AddMinutes(-5), idleSince: Now.AddSeconds(-40)),
            Worker(ready: true, inFlight: 0, started: Now.AddMinutes(-5), idleSince: Now.AddSeconds(-90)),
            Worker(ready: true, inFlight: 0, started: Now.AddMinutes(-5), idleSince: Now.AddSeconds(-31)),
            Worker(ready: true, inFlight: 0, started: Now.AddMinutes(-5), idleSince: Now.AddSeconds(-60)),
        };

        var decision = _sizer.Check([App("shop", range, members)], null).Single();

        Assert.That((decision.Action, decision.WorkerId, decision.Why), Is.EqualTo((PoolAction.Retire, members[1].Id, "idle")));
        Assert.That(decision.Reason, Is.EqualTo($"app shop: 4 -> 3 workers: worker {members[1].Id} idle for 1m30s, 4 of 4 idle"));
        members.RemoveAt(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(_sizer.Check([App("shop", range, members)], null).Single().WorkerId, Is.EqualTo(members[2].Id), "the next check retires the next longest idle");
    }

    [Test]
    public void Nothing_is_retired_before_idle_timeout()
    {
        var members = Idle(3, since: Now.AddSeconds(-29)).ToList();

        Assert.That(_sizer.Check([App("shop", Range(min: 1, max: 8, spare: 1), members)], null), Is.Empty);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(_sizer.Check([App("shop", Range(min: 1, max: 8, spare: 1), members)], null).Single().Action, Is.EqualTo(PoolAction.Retire));
    }

    [Test]
    public void No_worker_is_retired_within_idle_timeout_of_a_start_in_the_app()
    {
        var members = Idle(3, since: Now.AddMinutes(-5)).Append(Worker(ready: true, inFlight: 0, started: Now.AddSeconds(-10), idleSince: Now.AddSeconds(-8))).ToList();

        Assert.That(_sizer.Check([App("shop", Range(min: 1, max: 8, spare: 1), members)], null), Is.Empty);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.That(_sizer.Check([App("shop", Range(min: 1, max: 8, spare: 1), members)], null).Single().Action, Is.EqualTo(PoolAction.Retire), "idleTimeout after the start");
    }

    [Test]
    public void Retirement_keeps_spare_idle_workers_and_min_workers()
    {
        var range = Range(min: 1, max: 8, spare: 2);

        Assert.That(_sizer.Check([App("shop", range, Idle(2, since: Now.AddMinutes(-5)).Concat(Busy(1)).ToList())], null), Is.Empty, "2 idle, spare 2");
        Assert.That(_sizer.Check([App("shop", Range(min: 3, max: 8, spare: 0), Idle(3, since: Now.AddMinutes(-5)))], null), Is.Empty, "at min");
    }

    [Test]
    public void Nothing_is_retired_while_requests_wait()
    {
        var members = Idle(3, since: Now.AddMinutes(-5));

        Assert.That(_sizer.Check([App("shop", Range(min: 1, max: 3, spare: 1), members, queued: 2)], null), Is.Empty);
    }

    [Test]
    public void On_demand_an_idle_app_has_no_worker_and_the_first_request_starts_one()
    {
        var range = Range(min: 0, max: 4, spare: 1);
        Assert.That(range.Initial, Is.EqualTo(0), "on demand starts with none");
        Assert.That(_sizer.Check([App("docs", range, [])], null), Is.Empty, "idle, no worker, nothing started");

        var start = _sizer.Check([App("docs", range, [], queued: 1)], null).Single();
        Assert.That((start.Action, start.Count, start.Reason), Is.EqualTo((PoolAction.Start, 1, "app docs: 0 -> 1 workers: on demand, 0 of 0 idle, 1 queued")));

        Assert.That(_sizer.Check([App("docs", range, Busy(1))], null).Single().Count, Is.EqualTo(1), "with traffic it keeps its spare");

        var last = Idle(1, since: Now.AddSeconds(-30)).ToList();
        var retire = _sizer.Check([App("docs", range, last)], null).Single();
        Assert.That((retire.Action, retire.To), Is.EqualTo((PoolAction.Retire, 0)), "idle for idleTimeout, its last worker goes");
    }

    [Test]
    public void Fixed_counts_are_not_sized()
    {
        Assert.That(_sizer.Check([new AppLoad("api", new WorkerCount(2, IsAuto: false), 1, Busy(2), Queued: 40)], null), Is.Empty);
    }

    [Test]
    public void At_the_machine_wide_cap_the_app_with_the_most_idle_workers_retires_one_first_then_the_busy_app_starts()
    {
        var range = Range(min: 1, max: 4, spare: 1);
        var site = Idle(2, since: Now.AddSeconds(-2)).ToList();
        var blog = Idle(1, since: Now.AddMinutes(-5)).Concat(Busy(1)).ToList();
        var shop = Busy(1).ToList();

        var needy = Range(min: 1, max: 4, spare: 0);
        var decisions = _sizer.Check([App("shop", needy, shop, cap: 1, queued: 1), App("blog", range, blog), App("site", range, site)], maxWorkers: 5);

        Assert.That(decisions, Has.Count.EqualTo(1), string.Join("\n", decisions));
        var retire = decisions.Single();
        Assert.That((retire.App, retire.Action, retire.WorkerId, retire.Why), Is.EqualTo(("site", PoolAction.Retire, site[0].Id, "maxWorkers")), "site has the most idle, though idle only 2s");
        Assert.That(retire.Reason, Is.EqualTo("app site: 2 -> 1 workers: maxWorkers 5 reached and app shop needs a worker; site has the most idle (2 of 2 ready)"));

        site.RemoveAt(0);
        _time.Advance(TimeSpan.FromSeconds(1));
        var start = _sizer.Check([App("shop", needy, shop, cap: 1, queued: 1), App("blog", range, blog), App("site", range, site)], maxWorkers: 5).Single();
        Assert.That((start.App, start.Action, start.Count), Is.EqualTo(("shop", PoolAction.Start, 1)));
    }

    [Test]
    public void At_the_cap_a_worker_given_up_and_still_exiting_is_waited_for_and_no_second_one_is_taken()
    {
        var range = Range(min: 1, max: 4, spare: 1);
        var needy = Range(min: 1, max: 4, spare: 0);
        var site = Idle(2, since: Now).ToList();
        var shop = Busy(1).ToList();

        // site gave one worker up already (it drains and exits): 1 + 2 + 1 leaving = the cap of 4.
        var waiting = _sizer.Check([App("shop", needy, shop, cap: 1, queued: 1), App("site", range, site)], maxWorkers: 4, leaving: 1);
        var gone = _sizer.Check([App("shop", needy, shop, cap: 1, queued: 1), App("site", range, site)], maxWorkers: 4, leaving: 0);

        Assert.That(waiting, Is.Empty, "neither another retirement nor a held start while the room is on its way");
        Assert.That(gone.Select(d => (d.App, d.Action, d.Count)), Is.EqualTo(new[] { ("shop", PoolAction.Start, 1) }));
    }

    [Test]
    public void At_the_cap_with_no_app_to_give_a_worker_the_start_is_held_and_said_so()
    {
        var range = Range(min: 1, max: 4, spare: 1);
        var decision = _sizer.Check([App("shop", range, Busy(2), cap: 1, queued: 3), App("site", Range(min: 1, max: 4, spare: 0), Busy(1)), new AppLoad("api", new WorkerCount(2, IsAuto: false), null, Idle(2, Now), 0)], maxWorkers: 5).Single();

        Assert.That((decision.App, decision.Action, decision.Count), Is.EqualTo(("shop", PoolAction.Held, 1)));
        Assert.That(decision.Reason, Is.EqualTo("app shop: 1 more worker(s) wanted (0 of 2 idle, 3 queued), held back: maxWorkers 5 reached and no other app has an idle worker above its min"));
    }

    [Test]
    public void Below_the_cap_a_start_takes_what_room_is_left()
    {
        var range = Range(min: 1, max: 8, spare: 1);
        _sizer.Check([App("shop", range, Busy(1), cap: 1, queued: 10)], maxWorkers: 10);
        var decisions = _sizer.Check([App("shop", range, Busy(2), cap: 1, queued: 10), App("site", Range(min: 1, max: 8, spare: 0), Busy(1))], maxWorkers: 4);

        Assert.That(decisions.Select(d => (d.App, d.Action, d.Count)), Is.EqualTo(new[] { ("shop", PoolAction.Start, 1), ("shop", PoolAction.Held, 1) }));
        Assert.That(decisions[0].Reason, Is.EqualTo("app shop: 2 -> 3 workers: 0 of 2 idle, 10 queued; 1 more held back by maxWorkers 4"));
    }

    private static WorkerRange Range(int min, int max, int spare) => new() { Min = min, Max = new WorkerCount(max, IsAuto: false), Spare = spare, IdleTimeout = IdleTimeout };

    private static AppLoad App(string name, WorkerRange range, IReadOnlyList<PoolWorker> members, int? cap = null, long queued = 0) =>
        new(name, WorkerCount.Ranged(range), cap, members, queued);

    private PoolWorker Worker(bool ready, long inFlight, DateTimeOffset started, DateTimeOffset? idleSince) => new(_nextId++, ready, inFlight, started, idleSince);

    private IReadOnlyList<PoolWorker> Busy(int count) => [.. Enumerable.Range(0, count).Select(_ => Worker(ready: true, inFlight: 1, started: Now.AddMinutes(-10), idleSince: null))];

    private IReadOnlyList<PoolWorker> Idle(int count, DateTimeOffset since) => [.. Enumerable.Range(0, count).Select(_ => Worker(ready: true, inFlight: 0, started: since.AddMinutes(-1), idleSince: since))];

    private IReadOnlyList<PoolWorker> Starting(int count) => [.. Enumerable.Range(0, count).Select(_ => Worker(ready: false, inFlight: 0, started: Now, idleSince: null))];
}
