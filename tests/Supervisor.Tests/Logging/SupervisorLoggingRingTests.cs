using System.Text.Json;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers;
using Serilog.Extensions.Logging;
using Cluster.TestSupport;

using Cluster.Supervisor.Tests.Fakes;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>
/// The in-memory ring behind its own queue in the supervisor's logging: fed by the supervisor's logger and the worker
/// files' one in the order they logged, and written out to the followers before their streams end at the stop.
/// </summary>
public sealed class SupervisorLoggingRingTests
{
    private const int Events = 2000;
    private TempFolder _temp = null!;

    private string Folder => _temp.Path;

    [SetUp]
    public void CreateFolder() => _temp = new TempFolder("logring");

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public void A_follower_gets_every_line_logged_before_the_stop_worker_files_included_in_order_then_its_end()
    {
        var config = TestConfigs.Defaults.Log with { MemoryLines = 10, WorkerFiles = Path.Combine(Folder, "worker-{id}.log") };
        using var logging = new SupervisorLogging(config);
        using var factory = new SerilogLoggerFactory(logging.Logger);
        var logger = factory.CreateLogger("Cluster.Supervisor");
        using var follower = logging.Ring.Follow(0, default);

        var expected = new List<string>();
        for (var i = 0; i < Events / 2; i++)
        {
            WorkerLog.Recycling(logger, 0, 1000, $"event {i}");
            expected.Add($"worker 0 [pid 1000] recycling: event {i}; starting its replacement first");
            WorkerLog.Output(logging.WorkerOutput(AppConfig.DefaultName, 1), 1, 2000, "out", $"line {i}");
            expected.Add($"worker 1 [pid 2000] out| line {i}");
        }

        logging.EndFollowers();
        WorkerLog.Recycling(logger, 0, 1000, "after the end");

        Assert.That(follower.Ended, Is.True);
        Assert.That(Messages(Drain(follower)), Is.EqualTo(expected), "every line, in the order logged, none after the end");
        Assert.That(follower.Lines.Completion.IsCompleted, Is.True, "its stream ended after them");
        Assert.That(Messages(logging.Ring.Recent(100, default)), Is.EqualTo(expected[^10..]), "the ring kept its last 10");
        Assert.That(logging.Buffers.Destinations.Single(d => d.Label == "memory").Dropped, Is.Zero);
    }

    [Test]
    public async Task Lines_reach_a_follower_while_the_supervisor_runs_not_only_at_the_stop()
    {
        using var logging = new SupervisorLogging(TestConfigs.Defaults.Log);
        using var factory = new SerilogLoggerFactory(logging.Logger);
        var logger = factory.CreateLogger("Cluster.Supervisor");
        using var follower = logging.Ring.Follow(0, default);

        WorkerLog.Recycling(logger, 0, 1000, "now");

        using var wait = new CancellationTokenSource(Waits.Patience);
        var line = await follower.Lines.ReadAsync(wait.Token);
        Assert.That(Messages([line]), Is.EqualTo(new[] { "worker 0 [pid 1000] recycling: now; starting its replacement first" }));
        Assert.That(follower.Ended, Is.False);
    }

    private static List<byte[]> Drain(LogFollower follower)
    {
        var lines = new List<byte[]>();
        while (follower.Lines.TryRead(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static List<string> Messages(IEnumerable<byte[]> wire) =>
        wire.Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.GetProperty("RenderedMessage").GetString()!;
        }).ToList();
}
