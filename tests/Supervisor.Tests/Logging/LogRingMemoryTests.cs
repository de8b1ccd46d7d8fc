using Cluster.Supervisor.Tests.Fakes;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers;
using Cluster.TestSupport;
using Serilog;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>
/// What the in-memory log costs when full, measured on the managed heap (README "Logs" quotes the number this prints:
/// dotnet test tests/Supervisor.Tests --filter LogRingMemoryTests --logger "console;verbosity=detailed").
/// </summary>
[NonParallelizable]
public sealed class LogRingMemoryTests
{
    [Test]
    public void A_full_ring_of_the_default_2000_lines_of_typical_log_takes_under_2_MB()
    {
        var capacity = ConfigLoader.Parse("{ \"worker\": { \"command\": \"/bin/sh\" } }", "/tmp/supervisor.json", ConfigOverrides.None, new ConfigEnvironment(1, null, "/tmp")).Config!.Log.MemoryLines;
        LogRing? target = null;
        // Forwarded, not kept: the sink must not hold on to the lines being measured.
        using var forward = new TestLogSink(keep: false) { Then = line => target?.Emit(line) };
        using var serilog = new LoggerConfiguration().WriteTo.Sink(forward).CreateLogger();
        using var provider = new SerilogLoggerProvider(serilog);
        var supervisor = provider.CreateLogger("Cluster.Supervisor");
        var output = provider.CreateLogger(SupervisorLogging.WorkerOutputCategory);
        var transitions = new WorkerTransitions(supervisor);

        // Every message template parsed and cached once, so only the lines themselves are measured.
        target = new LogRing(16);
        Log(supervisor, output, transitions, 16);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var ring = new LogRing(capacity);
        target = ring;
        Log(supervisor, output, transitions, capacity * 2);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(ring);

        var bytes = after - before;
        TestContext.Out.WriteLine($"a full ring of {capacity} lines (3 of 4 worker output of about 100 characters, 1 of 4 a state change): {bytes / 1024.0 / 1024.0:0.00} MB, {bytes / capacity} bytes a line");
        Assert.That(ring.Recent(capacity + 1, default), Has.Count.EqualTo(capacity));
        Assert.That(bytes, Is.LessThan(2 * 1024 * 1024));
    }

    /// <summary>The mix of a busy cluster's log: mostly worker output (as ASP.NET prints it), some state changes.</summary>
    private static void Log(Microsoft.Extensions.Logging.ILogger supervisor, Microsoft.Extensions.Logging.ILogger output, WorkerTransitions transitions, int lines)
    {
        var worker = TestGroups.Worker(3);
        for (var i = 0; i < lines; i++)
        {
            if (i % 4 == 3)
            {
                var to = worker.State == WorkerState.Starting ? WorkerState.Ready : WorkerState.Starting;
                if (!WorkerTransitions.IsAllowed(worker.State, to))
                {
                    worker = TestGroups.Worker(3);
                    to = WorkerState.Starting;
                }

                transitions.Move(worker, to, $"GET /healthz passed {i % 900}ms after start; now serving on port {40000 + (i % 1000)}");
            }
            else
            {
                WorkerLog.Output(output, i % 4, 48000 + (i % 100), "out", $"info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished HTTP/1.1 GET /users/{i} - 200 {i % 1000}B");
            }
        }
    }
}
