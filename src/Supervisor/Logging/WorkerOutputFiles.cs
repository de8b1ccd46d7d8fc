using System.Globalization;
using Cluster.Shared.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// One rolling log file per worker id (log.workerFiles), opened when that worker first prints something. The files
/// roll and are pruned as the supervisor's own (log.file), so a chatty worker cannot fill the disk. All of them are
/// written by one background writer (<see cref="LogBuffers"/>), which Serilog.Sinks.Map points at each event's file.
/// The lines also go to the queue of the supervisor's in-memory ring (<see cref="LogRing"/>), so `supervisor logs`
/// shows them as without worker files.
/// </summary>
internal sealed class WorkerOutputFiles : IDisposable
{
    public const string Placeholder = "{id}";

    /// <summary>The property of a worker output line (WorkerLog.Output) that names its worker.</summary>
    private const string WorkerIdProperty = "WorkerId";

    private readonly Logger _files;
    private readonly Microsoft.Extensions.Logging.ILogger _logger;

    public WorkerOutputFiles(string pattern, LogFileConfig settings, LoggingLevelSwitch level, LogBuffers buffers, Serilog.ILogger ring, Action<string> reportFailure)
    {
        var configuration = new LoggerConfiguration().MinimumLevel.ControlledBy(level).Enrich.With<ControlCharacterEscaper>();
        buffers.Add(
            configuration.WriteTo,
            "workerFiles",
            "worker files",
            byWorker => byWorker.Map<(string App, int Id)>(WorkerOf, (worker, file) => LogFileSink.Add(file, PathFor(pattern, worker.App, worker.Id), settings)),
            reportFailure);
        configuration.WriteTo.Logger(ring);
        _files = configuration.CreateLogger();
#pragma warning disable CA2000 // The provider only wraps the Serilog logger, which Dispose disposes.
        _logger = new SerilogLoggerProvider(_files).CreateLogger(SupervisorLogging.WorkerOutputCategory);
#pragma warning restore CA2000
    }

    public static string PathFor(string pattern, string app, int workerId) =>
        pattern.Replace(Placeholder, workerId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace(LogConfig.AppPlaceholder, app, StringComparison.Ordinal);

    /// <summary>The logger for a worker's output lines; the line's own App and WorkerId properties pick the file.</summary>
    public Microsoft.Extensions.Logging.ILogger For(string app, int workerId) => _logger;

    private static bool WorkerOf(Serilog.Events.LogEvent line, out (string App, int Id) worker)
    {
        worker = default;
        if (line.Properties.TryGetValue(WorkerIdProperty, out var id) && id is Serilog.Events.ScalarValue { Value: int workerId })
        {
            var app = line.Properties.TryGetValue(Workers.WorkerTransitions.AppProperty, out var name) && name is Serilog.Events.ScalarValue { Value: string appName } ? appName : Shared.Configuration.AppConfig.DefaultName;
            worker = (app, workerId);
            return true;
        }

        return false;
    }

    public void Dispose() => _files.Dispose();
}
