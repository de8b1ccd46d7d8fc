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
/// debugging. The levels are switches, so a reloaded config's log.level applies at once.
/// </summary>
internal sealed class SupervisorLogging : ILogLevelControl, IDisposable
{
    public const string ConsoleTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>The logger category of the lines workers print.</summary>
    public const string WorkerOutputCategory = "Cluster.Worker";

    private readonly LoggingLevelSwitch _level = new();
    private readonly LoggingLevelSwitch _frameworks = new();
    private readonly LoggingLevelSwitch _forwarder = new();
    private readonly LogConfig _config;
    private readonly OpenedFiles _opened = new();
    private readonly WorkerOutputFiles? _workerFiles;
    private readonly Microsoft.Extensions.Logging.ILogger _workerOutput;

    public SupervisorLogging(LogConfig config)
    {
        _config = config;
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
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.Sink(Ring);
        if (config.File.Path is { } path)
        {
            LogFileSink.Add(configuration.WriteTo, path, config.File, _opened);
        }

        if (config.File.Path is not null || config.WorkerFiles is not null)
        {
            // A log file that fails after start (disk full, deleted folder) is reported on stderr rather than dropped silently.
            SelfLog.Enable(ReportSinkError);
        }

        Logger = configuration.CreateLogger();
        if (config.WorkerFiles is { } pattern)
        {
            _workerFiles = new WorkerOutputFiles(pattern, config.File, _level, Ring);
        }

#pragma warning disable CA2000 // The provider only wraps Logger, which Dispose disposes.
        _workerOutput = new SerilogLoggerProvider(Logger).CreateLogger(WorkerOutputCategory);
#pragma warning restore CA2000
    }

    public Logger Logger { get; }

    /// <summary>The last log.memoryLines lines and the live feed, for `supervisor logs`.</summary>
    public LogRing Ring { get; }

    /// <summary>Where a worker's output lines are logged: the supervisor's log, or the worker's own file.</summary>
    public Microsoft.Extensions.Logging.ILogger WorkerOutput(int workerId) => _workerFiles?.For(workerId) ?? _workerOutput;

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
            if (_opened.Last is null)
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

    public void Dispose()
    {
        _workerFiles?.Dispose();
        Logger.Dispose();
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

    private static string HumanSize(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 when bytes % (1024L * 1024 * 1024) == 0 => $"{bytes / (1024L * 1024 * 1024)}GB",
        >= 1024L * 1024 when bytes % (1024L * 1024) == 0 => $"{bytes / (1024L * 1024)}MB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024}KB",
        _ => $"{bytes}B",
    };
}
