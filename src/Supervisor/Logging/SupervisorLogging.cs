using Cluster.Shared.Configuration;
using Cluster.Supervisor.Workers;
using Serilog;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Cluster.Supervisor.Logging;

/// <summary>
/// One human-readable line per event on stdout and, when log.file is set, the same events in a rolling file (JSON by
/// default). Worker output goes to the same log, or with log.workerFiles to one file per worker. Either way every
/// line also goes to the in-memory ring that `supervisor logs` reads. ASP.NET Core and YARP stay at Warning unless
/// debugging. The levels are switches, so a reloaded config's log.level applies at once. Every destination, the ring
/// included, is written by a background thread of its own (<see cref="LogBuffers"/>): logging never waits for the
/// console or a disk, nor renders the ring's JSON. Dispose writes out what is still queued, so it must run on every
/// way out of the process.
/// </summary>
internal sealed class SupervisorLogging : ILogLevelControl, IDisposable
{
    public const string ConsoleTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>The logger category of the lines workers print.</summary>
    public const string WorkerOutputCategory = "Cluster.Worker";

    /// <summary>How often dropped log events are reported (one warning per destination that dropped any).</summary>
    public static readonly TimeSpan DropReportInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long start-up waits for the log file's background writer to open the file (or to fail to).</summary>
    private static readonly TimeSpan FileOpenTimeout = TimeSpan.FromSeconds(10);

    private readonly LoggingLevelSwitch _level = new();
    private readonly LoggingLevelSwitch _frameworks = new();
    private readonly LoggingLevelSwitch _forwarder = new();
    private readonly LogConfig _config;
    private readonly OpenedFiles _opened = new();
    private readonly WorkerOutputFiles? _workerFiles;
    private readonly Microsoft.Extensions.Logging.ILogger _workerOutput;
    private readonly Microsoft.Extensions.Logging.ILogger _own;
    private readonly LogDestination? _file;
    private readonly ITimer _dropReports;
    private readonly Logger _ringFeed;
    private int _ringClosed;
    private int _disposed;

    public SupervisorLogging(LogConfig config, TimeProvider? time = null, LogBuffers? buffers = null)
    {
        _config = config;
        Buffers = buffers ?? new LogBuffers();
        Ring = new LogRing(config.MemoryLines);
        Apply(config.Level);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(_level)
            .MinimumLevel.Override("Microsoft", _frameworks)
            .MinimumLevel.Override("System", _frameworks)
            .MinimumLevel.Override("Yarp", _frameworks)
            // YARP's forwarder logs each failed forward as a Warning with a stack trace; the front end reports the
            // same failure itself, with the worker and what it did about it (retried, 502), so it is quiet here.
            .MinimumLevel.Override("Yarp.ReverseProxy.Forwarder", _forwarder)
            .Enrich.With<ControlCharacterEscaper>();
        Buffers.Add(configuration.WriteTo, "console", "console", console => console.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture), ReportWriteError);
        // The ring is fed by both the supervisor's logger and the worker files' one, through one queue of its own, so it
        // keeps the order in which they logged and its JSON is rendered on that queue's thread. Nothing is queued when
        // nothing would keep or read the line (log.memoryLines 0 and no follower), nor once the followers were ended.
        var ringFeed = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Filter.ByIncludingOnly(_ => Volatile.Read(ref _ringClosed) == 0 && Ring.Wanted);
        Buffers.Add(ringFeed.WriteTo, "memory", "in-memory log", ring => ring.Sink(Ring), ReportWriteError);
        _ringFeed = ringFeed.CreateLogger();
        configuration.WriteTo.Logger(_ringFeed);
        if (config.File.Path is { } path)
        {
            _file = Buffers.Add(configuration.WriteTo, "file", "log file", file => LogFileSink.Add(file, path, config.File, _opened), ReportWriteError);
        }

        if (config.File.Path is not null || config.WorkerFiles is not null)
        {
            // A log file that fails after start (disk full, deleted folder) is reported on stderr rather than dropped silently.
            SelfLog.Enable(ReportSinkError);
        }

        Logger = configuration.CreateLogger();
        if (config.WorkerFiles is { } pattern)
        {
            _workerFiles = new WorkerOutputFiles(pattern, config.File, _level, Buffers, _ringFeed, ReportWriteError);
        }

#pragma warning disable CA2000 // The providers only wrap Logger, which Dispose disposes.
        _workerOutput = new SerilogLoggerProvider(Logger).CreateLogger(WorkerOutputCategory);
        _own = new SerilogLoggerProvider(Logger).CreateLogger("Cluster.Supervisor");
#pragma warning restore CA2000
        _dropReports = (time ?? TimeProvider.System).CreateTimer(_ => ReportDrops(), null, DropReportInterval, DropReportInterval);
        // A SIGTERM that arrives while no handler of ours is registered (early in start-up, late in the stop) ends the
        // process through ProcessExit, not through our Dispose: write out the queues then too.
        AppDomain.CurrentDomain.ProcessExit += WriteOutAtExit;
    }

    public Logger Logger { get; }

    /// <summary>The last log.memoryLines lines and the live feed, for `supervisor logs`.</summary>
    public LogRing Ring { get; }

    /// <summary>The queues in front of the console, the files and the ring, for the dropped-events metric.</summary>
    public LogBuffers Buffers { get; }

    /// <summary>Where a worker's output lines are logged: the supervisor's log, or the worker's own file.</summary>
    public Microsoft.Extensions.Logging.ILogger WorkerOutput(string app, int workerId) => _workerFiles?.For(app, workerId) ?? _workerOutput;

    /// <summary>
    /// Logs where the logs go, which makes the file sink open its file; null when it did, else why the supervisor
    /// must not start (the sink's own error is already on stderr).
    /// </summary>
    public string? ConfirmFiles(Microsoft.Extensions.Logging.ILogger logger)
    {
        var file = _config.File;
        if (file.Path is { } path)
        {
            LoggingLog.WritingTo(logger, path, Describe(file));
            // The file's background writer opens it with that event: wait (bounded) until it did, or said why not. Below
            // Information (log.level warning) nothing opens it before the first warning; the start-up check has to do.
            if (logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information) && !SpinWait.SpinUntil(() => _opened.Last is not null || _file!.Failed, FileOpenTimeout))
            {
                return $"$.log.file.path: cannot open {path} for writing: not opened within {FileOpenTimeout.TotalSeconds:0}s";
            }

            if (_opened.Last is null && _file!.Failed)
            {
                return $"$.log.file.path: cannot open {path} for writing (the reason is above)";
            }
        }

        if (_config.WorkerFiles is { } pattern)
        {
            LoggingLog.WorkerFiles(logger, pattern, Describe(file));
        }

        return null;
    }

    public void Apply(LogLevelSetting level)
    {
        _level.MinimumLevel = ToSerilog(level);
        _frameworks.MinimumLevel = _level.MinimumLevel <= LogEventLevel.Debug ? _level.MinimumLevel : LogEventLevel.Warning;
        _forwarder.MinimumLevel = _level.MinimumLevel <= LogEventLevel.Debug ? _level.MinimumLevel : LogEventLevel.Error;
    }

    /// <summary>Logs a warning for each destination that dropped events since the last report.</summary>
    public void ReportDrops() => Buffers.ReportDrops(_own);

    /// <summary>
    /// The supervisor is stopping: writes out the ring's queue, then ends every `logs -f` stream, so each follower gets
    /// every line logged until now before its end. Lines logged after this no longer go to the ring.
    /// </summary>
    public void EndFollowers()
    {
        if (Interlocked.Exchange(ref _ringClosed, 1) == 0)
        {
            _ringFeed.Dispose();
        }

        Ring.Complete();
    }

    /// <summary>Reports the last drops, then writes out every queued event, closes the files and ends the followers.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= WriteOutAtExit;
        _dropReports.Dispose();
        _workerFiles?.Dispose();
        ReportDrops();
        Logger.Dispose();
        // Last: the loggers above forward to the ring's queue until they are disposed.
        EndFollowers();
    }

    public static LogEventLevel ToSerilog(LogLevelSetting level) => level switch
    {
        LogLevelSetting.Verbose => LogEventLevel.Verbose,
        LogLevelSetting.Debug => LogEventLevel.Debug,
        LogLevelSetting.Information => LogEventLevel.Information,
        LogLevelSetting.Warning => LogEventLevel.Warning,
        LogLevelSetting.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };

    private void WriteOutAtExit(object? sender, EventArgs e) => Dispose();

    private static string Describe(LogFileConfig file)
    {
        var when = new List<string>();
        if (file.RollingInterval != LogRollingInterval.Never)
        {
            when.Add($"every {file.RollingInterval.ToString().ToLowerInvariant()}");
        }

        if (file.MaxSizeBytes is long bytes)
        {
            when.Add($"at {HumanSize(bytes)}");
        }

        var rolling = when.Count == 0 ? "never rolled" : $"a new file {string.Join(" and ", when)}";
        return $"{file.Format.ToString().ToUpperInvariant()}, {rolling}, keeping {file.RetainedFiles} file(s)";
    }

    /// <summary>Serilog's own error, without the stack trace: the sysadmin needs the path and the reason.</summary>
    private static void ReportSinkError(string message)
    {
        var lines = message.Split('\n').Where(line => !line.TrimStart().StartsWith("at ", StringComparison.Ordinal) && !line.Contains("--- End of", StringComparison.Ordinal));
        Console.Error.WriteLine($"supervisor: log file error: {string.Join('\n', lines).TrimEnd()}");
    }

    /// <summary>A destination's background writer failed ("log file error: Disk quota exceeded"); on its thread, not the logger's.</summary>
    private static void ReportWriteError(string error) => Console.Error.WriteLine($"supervisor: {error}");

    private static string HumanSize(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 when bytes % (1024L * 1024 * 1024) == 0 => $"{bytes / (1024L * 1024 * 1024)}GB",
        >= 1024L * 1024 when bytes % (1024L * 1024) == 0 => $"{bytes / (1024L * 1024)}MB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024}KB",
        _ => $"{bytes}B",
    };
}
