using System.Globalization;
using Cluster.Shared.Configuration;
using Serilog;
using Serilog.Configuration;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Sinks.File;

namespace Cluster.Supervisor.Logging;

/// <summary>A rolling log file (by time and by size, with retention) as configured under log.file.</summary>
internal static class LogFileSink
{
    public static LoggerConfiguration Add(LoggerSinkConfiguration writeTo, string path, LogFileConfig settings, FileLifecycleHooks? hooks = null) =>
        writeTo.File(
            Formatter(settings.Format),
            PathForSerilog(path, settings.RollingInterval),
            fileSizeLimitBytes: settings.MaxSizeBytes,
            rollingInterval: ToSerilog(settings.RollingInterval),
            rollOnFileSizeLimit: true,
            retainedFileCountLimit: settings.RetainedFiles,
            hooks: hooks);

    /// <summary>
    /// Serilog puts the period right before the extension ("supervisor.log" becomes "supervisor20261121.log"); a dash
    /// keeps the name readable: "supervisor-20261121.log", and "worker-1-20261121.log" rather than "worker-120261121.log".
    /// </summary>
    public static string PathForSerilog(string path, LogRollingInterval interval)
    {
        if (interval == LogRollingInterval.Never)
        {
            return path;
        }

        var name = Path.GetFileNameWithoutExtension(path);
        return name.Length == 0 || name[^1] is '-' or '_' or '.'
            ? path
            : Path.Combine(Path.GetDirectoryName(path)!, name + "-" + Path.GetExtension(path));
    }

    public static ITextFormatter Formatter(LogFileFormat format) => format == LogFileFormat.Json
        ? new LogJsonFormatter()
        : new MessageTemplateTextFormatter(SupervisorLogging.ConsoleTemplate, CultureInfo.InvariantCulture);

    private static RollingInterval ToSerilog(LogRollingInterval interval) => interval switch
    {
        LogRollingInterval.Year => RollingInterval.Year,
        LogRollingInterval.Month => RollingInterval.Month,
        LogRollingInterval.Day => RollingInterval.Day,
        LogRollingInterval.Hour => RollingInterval.Hour,
        LogRollingInterval.Minute => RollingInterval.Minute,
        _ => RollingInterval.Infinite,
    };
}
