using Cluster.Supervisor.Tests.Fakes;
using System.Text.Json;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>The in-memory log of `supervisor logs`: what it keeps, what it filters, and followers that fall behind.</summary>
public sealed class LogRingTests
{
    [Test]
    public void It_keeps_the_last_lines_up_to_its_capacity_oldest_first()
    {
        using var log = new RingLog(capacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            WorkerLog.Output(log.Worker, 0, 100, "out", $"line {i}");
        }

        Assert.That(Lines(log.Ring.Recent(10, default)), Is.EqualTo(new[] { "line 3", "line 4", "line 5" }));
        Assert.That(Lines(log.Ring.Recent(2, default)), Is.EqualTo(new[] { "line 4", "line 5" }));
        Assert.That(log.Ring.Recent(0, default), Is.Empty);
    }

    [Test]
    public void A_line_is_the_log_file_json_of_the_event_and_gives_back_the_console_line()
    {
        using var log = new RingLog(capacity: 10);
        var worker = TestGroups.Worker(1);
        new WorkerTransitions(log.Supervisor).Move(worker, WorkerState.Starting, "started on port 4000");

        var wire = log.Ring.Recent(1, default).Single();
        using var json = JsonDocument.Parse(wire);
        Assert.That(json.RootElement.GetProperty("RenderedMessage").GetString(), Is.EqualTo("worker 1 [pid -] Stopped -> Starting: started on port 4000"));
        Assert.That(json.RootElement.GetProperty("Properties").GetProperty("ToState").GetString(), Is.EqualTo("Starting"));
        Assert.That(System.Text.Encoding.UTF8.GetString(wire), Does.EndWith("}\n").And.Not.Contain("}\n{"), "one line per event");
        var timestamp = DateTimeOffset.Parse(json.RootElement.GetProperty("Timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(
            LogWire.ConsoleText(json.RootElement),
            Is.EqualTo($"{timestamp:yyyy-MM-dd HH:mm:ss.fff} [INF] worker 1 [pid -] Stopped -> Starting: started on port 4000"),
            "as the console prints it: its time, no quotes around the states, no newline");
    }

    [Test]
    public void An_exception_follows_its_message_on_the_next_lines_as_on_the_console()
    {
        using var log = new RingLog(capacity: 10);
        Cluster.Supervisor.Hosting.HostLog.LoopFailed(log.Supervisor, 0, new InvalidOperationException("the loop broke"));

        var text = Texts(log.Ring.Recent(1, default)).Single();

        Assert.That(text, Does.Contain(" [FTL] "));
        Assert.That(text.Split('\n')[1], Is.EqualTo("System.InvalidOperationException: the loop broke"));
    }

    [Test]
    public void One_slot_s_lines_are_its_lifecycle_lines_and_its_output_and_lifecycle_lines_can_be_asked_for_alone()
    {
        using var log = new RingLog(capacity: 10);
        var one = TestGroups.Worker(1);
        new WorkerTransitions(log.Supervisor).Move(one, WorkerState.Starting, "started");
        WorkerLog.Output(log.Worker, 1, 101, "out", "hello from 1");
        WorkerLog.Output(log.Worker, 0, 100, "out", "hello from 0");
        WorkerLog.Murdering(log.Supervisor, 0, 100, "10s", "SIGTERM");
        WorkerLog.StoppingWorkers(log.Supervisor, 2);

        Assert.That(Texts(log.Ring.Recent(10, new LogLineFilter(WorkerId: 1))), Has.Count.EqualTo(2).And.All.Contains("worker 1 [pid "));
        Assert.That(Texts(log.Ring.Recent(10, new LogLineFilter(LifecycleOnly: true))).Select(t => t[24..]), Is.EqualTo(new[]
        {
            "[INF] worker 1 [pid -] Stopped -> Starting: started",
            "[WRN] worker 0 [pid 100] did not exit within 10s of SIGTERM; sending SIGKILL",
            "[INF] front end stopped; stopping 2 worker(s)",
        }));
    }

    [Test]
    public void A_follower_gets_the_lines_before_it_and_every_later_one_without_a_gap()
    {
        using var log = new RingLog(capacity: 10);
        WorkerLog.Output(log.Worker, 0, 100, "out", "before 1");
        WorkerLog.Output(log.Worker, 0, 100, "out", "before 2");

        using var follower = log.Ring.Follow(1, default);
        WorkerLog.Output(log.Worker, 0, 100, "out", "after 1");
        WorkerLog.Output(log.Worker, 0, 100, "out", "after 2");

        Assert.That(Lines(follower.Backlog), Is.EqualTo(new[] { "before 2" }));
        Assert.That(Lines(Queued(follower)), Is.EqualTo(new[] { "after 1", "after 2" }));
        Assert.That(follower.DroppedBehind, Is.Null);
    }

    [Test]
    public void A_follower_that_stops_reading_is_dropped_once_its_queue_is_full_and_the_others_go_on()
    {
        using var log = new RingLog(capacity: 100, followerBacklog: 3);
        using var stuck = log.Ring.Follow(0, default);
        using var reading = log.Ring.Follow(0, default);
        using var otherSlot = log.Ring.Follow(0, new LogLineFilter(WorkerId: 7));

        var read = new List<byte[]>();
        for (var i = 1; i <= 10; i++)
        {
            WorkerLog.Output(log.Worker, 0, 100, "out", $"line {i}");
            read.AddRange(Queued(reading));
        }

        Assert.That(stuck.DroppedBehind, Is.EqualTo(3));
        Assert.That(stuck.WhenDropped.IsCompleted, Is.True);
        Assert.That(Lines(Queued(stuck)), Is.EqualTo(new[] { "line 1", "line 2", "line 3" }), "what it had queued, then the end of its stream");
        Assert.That(stuck.Lines.Completion.IsCompleted, Is.True);
        Assert.That(Lines(read), Is.EqualTo(Enumerable.Range(1, 10).Select(i => $"line {i}")));
        Assert.That(reading.DroppedBehind, Is.Null);
        Assert.That(otherSlot.DroppedBehind, Is.Null, "lines it does not want do not fill its queue");
        Assert.That(log.Ring.Followers, Is.EqualTo(2));
        Assert.That(Lines(log.Ring.Recent(100, default)), Has.Count.EqualTo(10), "the ring itself kept every line");
    }

    [Test]
    public void When_the_supervisor_stops_every_follower_s_stream_ends_after_its_lines_and_later_followers_end_at_once()
    {
        using var log = new RingLog(capacity: 10);
        using var follower = log.Ring.Follow(0, default);
        WorkerLog.Output(log.Worker, 0, 100, "out", "last words");

        log.Ring.Complete();
        using var late = log.Ring.Follow(5, default);

        Assert.That(follower.Ended, Is.True);
        Assert.That(Lines(Queued(follower)), Is.EqualTo(new[] { "last words" }));
        Assert.That(follower.Lines.Completion.IsCompleted, Is.True);
        Assert.That(late.Ended, Is.True);
        Assert.That(Lines(late.Backlog), Is.EqualTo(new[] { "last words" }));
        Assert.That(late.Lines.Completion.IsCompleted, Is.True);
        Assert.That(log.Ring.Followers, Is.Zero);
    }

    [Test]
    public void A_follower_that_leaves_is_forgotten()
    {
        using var log = new RingLog(capacity: 10);
        var follower = log.Ring.Follow(0, default);
        Assert.That(log.Ring.Followers, Is.EqualTo(1));

        follower.Dispose();
        WorkerLog.Output(log.Worker, 0, 100, "out", "nobody hears this");

        Assert.That(log.Ring.Followers, Is.Zero);
        Assert.That(Queued(follower), Is.Empty);
    }

    [Test]
    public void With_no_lines_kept_followers_still_get_new_lines()
    {
        using var log = new RingLog(capacity: 0);
        using var follower = log.Ring.Follow(100, default);
        WorkerLog.Output(log.Worker, 0, 100, "out", "live");

        Assert.That(log.Ring.Recent(100, default), Is.Empty);
        Assert.That(Lines(Queued(follower)), Is.EqualTo(new[] { "live" }));
    }

    private static List<byte[]> Queued(LogFollower follower)
    {
        var lines = new List<byte[]>();
        while (follower.Lines.TryRead(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static List<string> Texts(IEnumerable<byte[]> wire) =>
        wire.Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return LogWire.ConsoleText(json.RootElement);
        }).ToList();

    /// <summary>The printed line of each worker output line ("... out| line 3" gives "line 3").</summary>
    private static List<string> Lines(IEnumerable<byte[]> wire) => Texts(wire).Select(text => text[(text.IndexOf("| ", StringComparison.Ordinal) + 2)..]).ToList();

    /// <summary>A ring with the supervisor's logger categories in front of it, as SupervisorLogging sets them up.</summary>
    private sealed class RingLog : IDisposable
    {
        private readonly Serilog.Core.Logger _serilog;
        private readonly SerilogLoggerProvider _provider;

        public RingLog(int capacity, int followerBacklog = LogRing.DefaultFollowerBacklog)
        {
            Ring = new LogRing(capacity, followerBacklog);
            _serilog = new LoggerConfiguration().WriteTo.Sink(Ring).CreateLogger();
            _provider = new SerilogLoggerProvider(_serilog);
            Supervisor = _provider.CreateLogger("Cluster.Supervisor");
            Worker = _provider.CreateLogger(SupervisorLogging.WorkerOutputCategory);
        }

        public LogRing Ring { get; }

        public Microsoft.Extensions.Logging.ILogger Supervisor { get; }

        public Microsoft.Extensions.Logging.ILogger Worker { get; }

        public void Dispose()
        {
            _provider.Dispose();
            _serilog.Dispose();
        }
    }
}
