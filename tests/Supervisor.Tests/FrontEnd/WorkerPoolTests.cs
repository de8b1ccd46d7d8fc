using Cluster.Shared.Configuration;
using Cluster.Supervisor.FrontEnd;
using Cluster.Supervisor.Workers;

namespace Cluster.Supervisor.Tests.FrontEnd;

public sealed class WorkerPoolTests
{
    private static readonly WorkerEndpoint Zero = new(AppConfig.DefaultName, 0, 1000, 5000);
    private static readonly WorkerEndpoint One = new(AppConfig.DefaultName, 1, 1001, 5001);
    private static readonly WorkerEndpoint Two = new(AppConfig.DefaultName, 2, 1002, 5002);

    [TestCase(LoadBalancingPolicy.RoundRobin)]
    [TestCase(LoadBalancingPolicy.PowerOfTwoChoices)]
    [TestCase(LoadBalancingPolicy.LeastRequests)]
    public void With_no_ready_worker_there_is_nothing_to_pick(LoadBalancingPolicy policy)
    {
        var pool = new WorkerPool(policy);

        Assert.That(pool.Pick(), Is.Null);
        Assert.That(pool.Available, Is.EqualTo(0));
    }

    [Test]
    public void Round_robin_takes_each_worker_in_turn()
    {
        var pool = new WorkerPool(LoadBalancingPolicy.RoundRobin);
        pool.Publish([Zero, One, Two]);

        var picks = Enumerable.Range(0, 9).Select(_ => pool.Pick()!.Endpoint.WorkerId).ToList();

        Assert.That(picks.Distinct().Count(), Is.EqualTo(3));
        Assert.That(picks.GroupBy(id => id).Select(g => g.Count()), Is.All.EqualTo(3));
        Assert.That(picks.Zip(picks.Skip(1)).Where(p => p.First == p.Second), Is.Empty, "the same worker twice in a row");
    }

    [TestCase(LoadBalancingPolicy.PowerOfTwoChoices)]
    [TestCase(LoadBalancingPolicy.LeastRequests)]
    public void Load_aware_policies_prefer_the_worker_with_fewer_requests_in_flight(LoadBalancingPolicy policy)
    {
        var pool = new WorkerPool(policy);
        pool.Publish([Zero, One]);
        var destinations = Destinations(pool);
        var busy = destinations[0];
        var idle = destinations[1];
        for (var i = 0; i < 5; i++)
        {
            busy.Traffic.Begin();
        }

        var picks = Enumerable.Range(0, 50).Select(_ => pool.Pick()!).ToList();

        Assert.That(picks, Is.All.SameAs(idle));
    }

    [TestCase(LoadBalancingPolicy.RoundRobin)]
    [TestCase(LoadBalancingPolicy.PowerOfTwoChoices)]
    [TestCase(LoadBalancingPolicy.LeastRequests)]
    public void An_unreachable_worker_and_the_excluded_one_are_never_picked(LoadBalancingPolicy policy)
    {
        var pool = new WorkerPool(policy);
        pool.Publish([Zero, One, Two]);
        var all = Destinations(pool);
        all[0].MarkUnreachable();

        var picks = Enumerable.Range(0, 50).Select(_ => pool.Pick(except: all[1])).ToList();

        Assert.That(picks, Is.All.SameAs(all[2]));
        Assert.That(pool.Available, Is.EqualTo(2));
        Assert.That(pool.Pick(except: all[2]), Is.SameAs(all[1]));
    }

    [Test]
    public void When_every_worker_is_excluded_or_unreachable_there_is_nothing_to_pick()
    {
        var pool = new WorkerPool(LoadBalancingPolicy.RoundRobin);
        pool.Publish([Zero, One]);
        var first = pool.Pick()!;
        pool.Pick(except: first)!.MarkUnreachable();

        Assert.That(pool.Pick(except: first), Is.Null);
    }

    [Test]
    public void A_republish_keeps_a_worker_that_stays_and_a_worker_back_in_rotation_starts_afresh()
    {
        var pool = new WorkerPool(LoadBalancingPolicy.RoundRobin);
        pool.Publish([Zero, One]);
        var zero = Enumerable.Range(0, 4).Select(_ => pool.Pick()!).First(d => d.Endpoint == Zero);
        zero.MarkUnreachable();

        pool.Publish([Zero, One, Two]);
        Assert.That(pool.Available, Is.EqualTo(2), "still listed, still unreachable");

        pool.Publish([One, Two]);
        pool.Publish([Zero, One, Two]);
        Assert.That(pool.Available, Is.EqualTo(3), "listed again after leaving rotation: given another chance");
    }

    [Test]
    public void Traffic_counts_outlive_the_time_in_rotation_and_idle_completes_when_the_last_request_ends()
    {
        var pool = new WorkerPool(LoadBalancingPolicy.RoundRobin);
        pool.Publish([Zero]);
        var zero = pool.Pick()!;
        zero.Traffic.Begin();
        zero.Traffic.Begin();
        zero.Traffic.End();
        pool.Publish([]);

        var idle = pool.WhenIdleAsync(Zero);

        Assert.That(pool.Served(Zero), Is.EqualTo(2));
        Assert.That(pool.InFlight(Zero), Is.EqualTo(1));
        Assert.That(idle.IsCompleted, Is.False);
        zero.Traffic.End();
        Assert.That(idle.IsCompleted, Is.True);
        pool.Forget(Zero);
        Assert.That(pool.Served(Zero), Is.EqualTo(0));
    }

    /// <summary>The pool's destinations by worker id, found through round-robin picks; the pool's policy is kept.</summary>
    private static Dictionary<int, WorkerDestination> Destinations(WorkerPool pool)
    {
        var policy = pool.Policy;
        pool.Policy = LoadBalancingPolicy.RoundRobin;
        var found = Enumerable.Range(0, 10).Select(_ => pool.Pick()!).DistinctBy(d => d.Endpoint).ToDictionary(d => d.Endpoint.WorkerId);
        pool.Policy = policy;
        return found;
    }

    [TestCase(LoadBalancingPolicy.RoundRobin)]
    [TestCase(LoadBalancingPolicy.PowerOfTwoChoices)]
    [TestCase(LoadBalancingPolicy.LeastRequests)]
    public void Taking_a_worker_under_a_cap_skips_the_workers_at_their_cap_and_counts_the_request_in(LoadBalancingPolicy policy)
    {
        var pool = new WorkerPool(policy);
        pool.Publish([Zero, One, Two]);

        var taken = Enumerable.Range(0, 6).Select(_ => pool.TryTake(cap: 2)?.Endpoint).ToList();

        Assert.That(taken, Has.All.Not.Null);
        Assert.That(new[] { pool.InFlight(Zero), pool.InFlight(One), pool.InFlight(Two) }, Is.All.EqualTo(2));
        Assert.That(pool.TryTake(cap: 2), Is.Null, "every worker at its cap");
        Assert.That(pool.TryTake(cap: null), Is.Not.Null, "no cap: as today");
    }
}
