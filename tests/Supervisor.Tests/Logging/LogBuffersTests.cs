using System.Collections.Concurrent;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Tests.Fakes;
using Cluster.TestSupport;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>The queues in front of the log destinations: a slow destination never holds up the thread that logs.</summary>
public sealed class LogBuffersTests
{
    [Test]
    public void A_full_queue_drops_instead_of_waiting_and_the_drops_are_counted_and_reported_once()
    {
        using var sink = new TestLogSink(held: true);
        var buffers = new LogBuffers(capacity: 5);
        var failures = new ConcurrentQueue<string>();
        var configuration = new LoggerConfiguration();
        var destination = buffers.Add(configuration.WriteTo, "test", "test sink", writeTo => writeTo.Sink(sink), failures.Enqueue);
        using var logger = configuration.CreateLogger();

        logger.Information("event {Number}", 0);
        Assert.That(sink.Entered.Wait(Waits.Patience), Is.True, "the background writer never took the first event");
        // The writer is stuck in the sink with event 0: 5 more fill the queue, 3 more find it full.
        var logging = Task.Run(() =>
        {
            for (var i = 1; i <= 8; i++)
            {
                logger.Information("event {Number}", i);
            }
        });

        Assert.That(logging.Wait(Waits.Patience), Is.True, "logging waited for the stuck destination");
        Assert.That(destination.Dropped, Is.EqualTo(3));
        Assert.That(destination.Queued, Is.EqualTo(5));
        Assert.That(failures, Is.Empty, "a drop is counted, not reported one event at a time");
        var reports = new ListLogger();
        buffers.ReportDrops(reports);
        buffers.ReportDrops(reports);
        Assert.That(reports.Entries, Is.EqualTo(new[] { (LogLevel.Warning, "3 log event(s) dropped: the test sink did not keep up and its queue of 5 events was full (3 dropped since start)") }));

        sink.Release();
        logger.Dispose();
        Assert.That(Numbers(sink), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5 }), "what was queued is written, in order");
    }

    [Test]
    public void Disposing_writes_out_everything_still_queued()
    {
        using var sink = new TestLogSink(held: true);
        var buffers = new LogBuffers();
        var configuration = new LoggerConfiguration();
        var destination = buffers.Add(configuration.WriteTo, "test", "test sink", writeTo => writeTo.Sink(sink), _ => { });
        var logger = configuration.CreateLogger();
        for (var i = 0; i < 2000; i++)
        {
            logger.Information("event {Number}", i);
        }

        sink.Release();
        logger.Dispose();

        Assert.That(Numbers(sink), Is.EqualTo(Enumerable.Range(0, 2000)));
        Assert.That(destination.Dropped, Is.Zero);
    }

    [Test]
    public void A_destination_that_fails_is_reported_from_its_own_thread_and_the_others_carry_on()
    {
        using var working = new TestLogSink();
        var buffers = new LogBuffers();
        var failures = new ConcurrentQueue<string>();
        var configuration = new LoggerConfiguration();
        var broken = buffers.Add(configuration.WriteTo, "broken", "broken sink", writeTo => writeTo.Sink(new TestLogSink { Throws = new IOException("the disk is full") }), failures.Enqueue);
        buffers.Add(configuration.WriteTo, "working", "working sink", writeTo => writeTo.Sink(working), failures.Enqueue);

        using (var logger = configuration.CreateLogger())
        {
            logger.Information("event {Number}", 1);
            logger.Information("event {Number}", 2);
        }

        Assert.That(failures, Is.EqualTo(new[] { "broken sink error: the disk is full", "broken sink error: the disk is full" }));
        Assert.That(broken.Failed, Is.True);
        Assert.That(Numbers(working), Is.EqualTo(new[] { 1, 2 }));
    }

    /// <summary>The "Number" property of each event the sink was given, in order.</summary>
    private static List<int> Numbers(TestLogSink sink) => sink.Events.Select(e => (int)((ScalarValue)e.Properties["Number"]).Value!).ToList();
}
