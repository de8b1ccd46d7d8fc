using Cluster.Supervisor.Hosting;
using Cluster.Supervisor.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Supervisor.Tests.Hosting;

/// <summary>Idle, the heap is collected and trimmed every 30 s; when the GC collected by itself in between, nothing is forced.</summary>
public sealed class IdleMemoryTrimTests
{
    [Test]
    public void An_idle_heap_is_collected_every_interval_and_not_before()
    {
        var time = new FakeTimeProvider();
        var collections = 0;
        var forced = 0;
        using var idle = new IdleMemoryTrim(time, () => collections, () => { forced++; collections++; });

        time.Advance(IdleMemoryTrim.Interval - TimeSpan.FromSeconds(1));
        Assert.That(forced, Is.Zero);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(forced, Is.EqualTo(1));
        time.Advance(IdleMemoryTrim.Interval * 3);
        Assert.That(forced, Is.EqualTo(4));
    }

    [Test]
    public void A_collection_the_gc_made_on_its_own_skips_the_next_forced_one()
    {
        var time = new FakeTimeProvider();
        var collections = 0;
        var forced = 0;
        using var idle = new IdleMemoryTrim(time, () => collections, () => { forced++; collections++; });

        collections += 5; // under load: the GC collected five times during the interval
        time.Advance(IdleMemoryTrim.Interval);
        Assert.That(forced, Is.Zero);
        time.Advance(IdleMemoryTrim.Interval);
        Assert.That(forced, Is.EqualTo(1), "idle again: nothing collected during the last interval");
    }

    [Test]
    public void The_real_collection_is_a_full_collection()
    {
        var time = new FakeTimeProvider();
        using var idle = new IdleMemoryTrim(time);
        var before = GC.CollectionCount(GC.MaxGeneration);

        time.Advance(IdleMemoryTrim.Interval);

        Assert.That(GC.CollectionCount(GC.MaxGeneration), Is.GreaterThan(before));
    }

    [Test]
    public void The_c_library_heap_can_be_trimmed_on_glibc()
    {
        Assert.That(NativeHeap.Trim(), Is.True, "malloc_trim was not found in libc");
    }

    [Test]
    public void Disposing_stops_the_timer()
    {
        var time = new CountingFakeTimeProvider();
        var forced = 0;
        var idle = new IdleMemoryTrim(time, () => 0, () => forced++);
        idle.Dispose();

        time.Advance(IdleMemoryTrim.Interval * 2);

        Assert.That(forced, Is.Zero);
        Assert.That(time.UndisposedTimers, Is.Zero);
    }
}
