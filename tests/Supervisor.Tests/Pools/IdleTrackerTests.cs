using Cluster.Supervisor.Pools;

namespace Cluster.Supervisor.Tests.Pools;

/// <summary>Idle since the first check that finds a ready worker with nothing in flight and nothing served since the check before.</summary>
public sealed class IdleTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private readonly IdleTracker _tracker = new();

    [Test]
    public void A_worker_stays_idle_since_the_first_idle_check()
    {
        Assert.That(_tracker.Observe(1, ready: true, inFlight: 0, served: 5, T0), Is.EqualTo(T0));
        Assert.That(_tracker.Observe(1, ready: true, inFlight: 0, served: 5, T0.AddSeconds(10)), Is.EqualTo(T0));
    }

    [Test]
    public void A_request_in_flight_or_served_between_checks_starts_the_idle_time_afresh()
    {
        _tracker.Observe(1, ready: true, inFlight: 0, served: 5, T0);

        Assert.That(_tracker.Observe(1, ready: true, inFlight: 0, served: 9, T0.AddSeconds(1)), Is.EqualTo(T0.AddSeconds(1)), "served 4 short requests in between");
        Assert.That(_tracker.Observe(1, ready: true, inFlight: 1, served: 10, T0.AddSeconds(2)), Is.Null);
        Assert.That(_tracker.Observe(1, ready: true, inFlight: 0, served: 10, T0.AddSeconds(3)), Is.EqualTo(T0.AddSeconds(3)));
    }

    [Test]
    public void A_worker_not_ready_is_not_idle_and_a_forgotten_one_starts_afresh()
    {
        Assert.That(_tracker.Observe(2, ready: false, inFlight: 0, served: 0, T0), Is.Null);
        _tracker.Observe(2, ready: true, inFlight: 0, served: 0, T0.AddSeconds(1));
        _tracker.Forget(2);

        Assert.That(_tracker.Observe(2, ready: true, inFlight: 0, served: 0, T0.AddSeconds(5)), Is.EqualTo(T0.AddSeconds(5)));
    }
}
