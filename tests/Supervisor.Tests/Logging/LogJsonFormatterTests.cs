using Cluster.Supervisor.Tests.Fakes;
using System.Globalization;
using System.Text.Json;
using Cluster.Supervisor.Logging;
using Cluster.Supervisor.Workers;
using Cluster.TestSupport;
using Serilog;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Tests.Logging;

/// <summary>The JSON lines of log files: one object per line, every structured property a field.</summary>
public sealed class LogJsonFormatterTests
{
    [Test]
    public void A_transition_is_one_line_with_its_properties_and_the_message_as_the_console_shows_it()
    {
        var worker = TestGroups.Worker(2);
        var line = FormatOne(logger => new WorkerTransitions(logger).Move(worker, WorkerState.Starting, "launching \"dotnet\" on port 4000"));

        Assert.That(line, Does.EndWith("}\n"));
        Assert.That(line.TrimEnd('\n'), Does.Not.Contain('\n'));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.That(root.GetProperty("Level").GetString(), Is.EqualTo("Information"));
        Assert.That(DateTimeOffset.Parse(root.GetProperty("Timestamp").GetString()!, CultureInfo.InvariantCulture), Is.Not.EqualTo(default(DateTimeOffset)));
        Assert.That(root.GetProperty("MessageTemplate").GetString(), Is.EqualTo("worker {WorkerId} [pid {Pid}] {FromState} -> {ToState}: {Reason}"));
        Assert.That(root.GetProperty("RenderedMessage").GetString(), Is.EqualTo("worker 2 [pid -] Stopped -> Starting: launching \"dotnet\" on port 4000"));
        var properties = root.GetProperty("Properties");
        Assert.That(properties.GetProperty("WorkerId").GetInt32(), Is.EqualTo(2));
        Assert.That(properties.GetProperty("FromState").GetString(), Is.EqualTo("Stopped"));
        Assert.That(properties.GetProperty("ToState").GetString(), Is.EqualTo("Starting"));
        Assert.That(properties.GetProperty("Reason").GetString(), Is.EqualTo("launching \"dotnet\" on port 4000"));
        Assert.That(properties.GetProperty("Restarts").GetInt32(), Is.EqualTo(0));
        Assert.That(properties.GetProperty("EventId").GetProperty("Id").GetInt32(), Is.EqualTo(100));
    }

    [Test]
    public void A_worker_output_line_carries_the_worker_id_the_pid_as_a_number_and_the_line()
    {
        var line = FormatOne(logger => WorkerLog.Output(logger, 1, 4242, "err", "boom {not a placeholder}"));

        using var json = JsonDocument.Parse(line);
        var properties = json.RootElement.GetProperty("Properties");
        Assert.That(properties.GetProperty("WorkerId").GetInt32(), Is.EqualTo(1));
        Assert.That(properties.GetProperty("Pid").GetInt32(), Is.EqualTo(4242));
        Assert.That(properties.GetProperty("Stream").GetString(), Is.EqualTo("err"));
        Assert.That(properties.GetProperty("Line").GetString(), Is.EqualTo("boom {not a placeholder}"));
        Assert.That(json.RootElement.GetProperty("RenderedMessage").GetString(), Is.EqualTo("worker 1 [pid 4242] err| boom {not a placeholder}"));
    }

    [Test]
    public void An_exception_is_a_field_of_its_own()
    {
        var line = FormatOne(logger => Cluster.Supervisor.Hosting.HostLog.LoopFailed(logger, 0, new InvalidOperationException("the loop broke")));

        using var json = JsonDocument.Parse(line);
        Assert.That(json.RootElement.GetProperty("Level").GetString(), Is.EqualTo("Fatal"));
        Assert.That(json.RootElement.GetProperty("Exception").GetString(), Does.StartWith("System.InvalidOperationException: the loop broke"));
    }

    private static string FormatOne(Action<Microsoft.Extensions.Logging.ILogger> log)
    {
        using var sink = new TestLogSink();
        using (var serilog = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        using (var provider = new SerilogLoggerProvider(serilog))
        {
            log(provider.CreateLogger("Cluster.Supervisor"));
        }

        using var output = new StringWriter(CultureInfo.InvariantCulture);
        new LogJsonFormatter().Format(sink.Events.Single(), output);
        return output.ToString();
    }
}
